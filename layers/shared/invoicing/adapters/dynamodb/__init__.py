"""The single DynamoDB table: documents, numbering counters, reservations, customers, settings,
webhook endpoints and deliveries, API keys; and the unit of work that writes its changes."""
