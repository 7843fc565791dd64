"""Getting articles in: text files, JSONL, standard input (HTML and feeds come with the corpus)."""
