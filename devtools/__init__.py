"""Developer tools: start the assistant's processes on loopback; score it."""
