"""The use cases, run against in-memory fakes of every port."""
