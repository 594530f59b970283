"""Answering: questions to weighted terms, ranking, answer-type cues, and the engine that decides."""
