"""The single DynamoDB table: documents, numbering counters, settings and API keys."""
