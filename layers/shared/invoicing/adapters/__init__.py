"""AWS and the network, one module per outside system, each implementing ports of the services: they
import the domain and the services' ports and changes, never a use case; only here is boto3 called."""
