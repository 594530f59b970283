"""Answering: questions to weighted terms, ranking, answer-type cues, and the engine that decides."""

# Below this chance that the best passage answers, askbot says it does not know.  Chosen with
# bench/calibrate.py: on development articles held out one at a time, it declines 5.5% of answerable
# questions and 94% of questions taken from another article (see README: Confidence).
DEFAULT_MIN_CONFIDENCE = 0.25
