"""Linguistic layers over the article text: segmentation, morphology, syntax, NER."""
