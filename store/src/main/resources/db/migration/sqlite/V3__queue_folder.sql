-- Where local delivery files the message: a special-use attribute such as \Junk (RFC 6154), or NULL for INBOX.
-- Set at acceptance by content policies (e.g. DMARC p=quarantine).
ALTER TABLE queue_messages ADD COLUMN folder TEXT;
