"""cnaps-llm: grounded answers about AI models.

Importing the package is cheap on purpose: nothing here touches the network,
the environment or heavy dependencies (openai, tiktoken).
"""

__version__ = "0.1.0"
