package dev.sealpost.smtp.server;

import dev.sealpost.core.sasl.ChannelBinding;
import dev.sealpost.core.sasl.SaslExchange;
import dev.sealpost.core.sasl.SaslMechanism;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tiny SASL mechanism for tests: the response is {@code user NUL password}; password
 * "secret" succeeds. Without an initial response it first sends the challenge "Credentials?".
 * A channel-binding variant succeeds only with 32 octets of tls-exporter data and sends
 * final data with its success (exercising RFC 4954's 334-then-235 path).
 */
record FakeMechanism(String name, boolean revealsPassword, boolean needsChannelBinding,
                     AtomicReference<ChannelBinding> lastBinding) implements SaslMechanism {

    static FakeMechanism plain(String name) {
        return new FakeMechanism(name, true, false, new AtomicReference<>());
    }

    static FakeMechanism hashed(String name) {
        return new FakeMechanism(name, false, false, new AtomicReference<>());
    }

    static FakeMechanism plus(String name) {
        return new FakeMechanism(name, false, true, new AtomicReference<>());
    }

    @Override
    public SaslExchange start(ChannelBinding binding) {
        lastBinding.set(binding);
        return new SaslExchange() {
            @Override
            public SaslStep evaluate(byte[] response) {
                if (response.length == 0) return new SaslStep.Challenge("Credentials?".getBytes(StandardCharsets.US_ASCII));
                String s = new String(response, StandardCharsets.UTF_8);
                int nul = s.indexOf('\0');
                if (nul <= 0) return new SaslStep.Failure(true, "no NUL");
                String user = s.substring(0, nul), pass = s.substring(nul + 1);
                if (needsChannelBinding && (binding == null || binding.data().length != 32
                        || !binding.type().equals("tls-exporter"))) {
                    return new SaslStep.Failure(false, "channel binding");
                }
                if (!pass.equals("secret")) return new SaslStep.Failure(false, "bad password");
                return new SaslStep.Success(user, needsChannelBinding
                        ? "v=ok".getBytes(StandardCharsets.US_ASCII) : new byte[0]);
            }
        };
    }

    /** The base64 of {@code user NUL password}. */
    static String creds(String user, String password) {
        return java.util.Base64.getEncoder().encodeToString((user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }
}
