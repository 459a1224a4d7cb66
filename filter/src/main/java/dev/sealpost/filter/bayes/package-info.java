/**
 * The statistical spam classifier (issue 14, "Classifier"): a {@link dev.sealpost.filter.bayes.Tokenizer}
 * turns a parsed message into word and word-pair features, a
 * {@link dev.sealpost.filter.bayes.BayesClassifier} combines the features' spam probabilities with
 * Robinson's and Fisher's method (chi-square, as SpamBayes and Bogofilter), and
 * {@link dev.sealpost.filter.bayes.BayesCheck} puts the result into the pipeline as the hits
 * {@code bayes_spam} and {@code bayes_ham}. Counts live in a {@link dev.sealpost.filter.bayes.TokenTable}:
 * the store's {@code filter_tokens} table ({@link dev.sealpost.filter.bayes.StoreTokenTable}, shared by
 * every node) or memory ({@link dev.sealpost.filter.bayes.MemoryTokenTable}, with a compact file form).
 * Global model plus per-account overlays; training is incremental and can be undone (untrain).
 * {@link dev.sealpost.filter.bayes.MessageFiles} reads messages from files, Maildirs and mbox files for
 * the CLI and the corpus evaluation. Method and measured figures: {@code docs/classifier.md}.
 *
 * <p><b>Security:</b> parses untrusted message content (MIME bodies, quoted-printable, base64,
 * charsets, HTML). Every step is bounded: features per message, decoded characters per message,
 * word length, tag length; nothing here throws on content. Features are stored only as 64-bit
 * hashes, so the model holds no readable message text. Reaches the store only through the
 * {@code TokenTable} it is given; {@code MessageFiles} reads the paths an administrator names.
 *
 * <p><b>Standards:</b> RFC 2045 (transfer encodings, §6.7 quoted-printable, §6.8 base64), RFC 2047
 * (encoded words in Subject and names, through the message module), RFC 4155 (the mbox format).
 *
 * <p><b>Configuration:</b> none read here; weights and the cutoff are constructor arguments
 * ({@link dev.sealpost.filter.bayes.BayesClassifier.Settings#defaults()}, {@code BayesCheck}'s
 * defaults), for the pipeline's {@code [filter]} settings to pass in.
 */
package dev.sealpost.filter.bayes;
