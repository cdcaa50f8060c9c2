"""Integrations with scraping frameworks; each is an optional extra (``pip install "cleaner[scrapy]"``)."""
