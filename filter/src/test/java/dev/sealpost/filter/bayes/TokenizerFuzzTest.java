package dev.sealpost.filter.bayes;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.message.MessageStructure;

import java.util.HashSet;

/**
 * Fuzz target for the tokenizer (untrusted message content: MIME structure, transfer encodings,
 * charsets, HTML): it never throws, keeps its bounds (feature count, word length), yields distinct
 * features whose hashes match their texts, and gives the same features for the same input.
 * Seeds: {@code src/test/resources/dev/sealpost/filter/bayes/TokenizerFuzzTestInputs/tokenize/}.
 */
class TokenizerFuzzTest {
    private static final Tokenizer TOKENIZER = new Tokenizer(new Tokenizer.Limits(300, 64 * 1024, 2, 24));

    @FuzzTest(maxDuration = "60s")
    void tokenize(byte[] data) {
        MessageStructure s = MessageStructure.parse(data);
        Tokenizer.Features f = TOKENIZER.tokenize(data, s);
        check(f.size() <= 300, "too many features: %s", f.size());
        check(f.texts().size() == f.hashes().length, "texts and hashes differ in length");
        check(new HashSet<>(f.texts()).size() == f.size(), "duplicate features");
        for (int i = 0; i < f.size(); i++) {
            String t = f.texts().get(i);
            check(!t.isEmpty() && t.length() <= 2 * 24 + 1 + 70 + 260, "feature of length %s", t.length());
            check(Tokenizer.hash(t) == f.hashes()[i], "hash mismatch for %s", t);
        }
        check(TOKENIZER.tokenize(data, s).texts().equals(f.texts()), "not deterministic");
        BodyText.stripHtml(new String(data, java.nio.charset.StandardCharsets.ISO_8859_1), t -> { }, l -> { });
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
