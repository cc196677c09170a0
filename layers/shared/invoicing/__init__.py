"""Legal, numbered invoices, in layers: the domain (the rules), the services (the use cases, behind
their ports), the adapters that implement those ports (AWS, rendering, remote files, shops), the API,
and the composition root that joins them. import-linter checks the layers in `make test`.

In a Lambda function's INIT, the cyclic garbage collector is paused from this package's first import
until the function's handler is made (`invoicing.observability.entry_point`), which freezes what
INIT built and resumes it. INIT makes modules, classes and clients that live as long as the
environment: collecting then is pure cost, and once frozen they are walked by no later collection
(nor paged in by one after a SnapStart restore).
"""

import gc
import os

# Paused here, resumed by `invoicing.observability.end_of_init`.
GC_PAUSED_FOR_INIT = bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME")) and gc.isenabled()
if GC_PAUSED_FOR_INIT:
    gc.disable()
