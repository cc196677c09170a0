"""AWS access, one module per service; nothing above this layer imports boto3."""
