"""``python3 -m cnaps_llm``: the same command line as ``cnaps-llm``, for a checkout that is not installed."""

from .cli import main

main()
