"""The test suite: unit, integration, end-to-end (HTTP and browser) and security tests."""
