"""The corpus: many analyzed articles, deduplicated, grouped into stories, merged and queried."""
