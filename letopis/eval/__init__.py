"""Quality measurement on real data sets: NER, events, stories."""
