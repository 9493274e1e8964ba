"""Paper Digest Archive: daily ML-paper digests in, a static archive site out."""
