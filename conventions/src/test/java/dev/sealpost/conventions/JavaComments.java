package dev.sealpost.conventions;

import java.util.ArrayList;
import java.util.List;

/**
 * The comments of a Java source file, line by line: {@code //} comments and each line of a
 * {@code /* … * /} or Javadoc block, with string, character and text-block literals skipped (so
 * {@code "RFC 5321"} in code is not a comment).
 */
final class JavaComments {
    private JavaComments() {}

    /** One line of comment text and its 1-based line number in the file. */
    record Line(int number, String text) {}

    static List<Line> of(String src) {
        List<Line> out = new ArrayList<>();
        int line = 1;
        int i = 0, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                int end = src.indexOf('\n', i);
                if (end < 0) end = n;
                out.add(new Line(line, src.substring(i, end)));
                i = end;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (String l : src.substring(i, end).split("\n", -1)) out.add(new Line(line++, l));
                line--; // the last piece stays on the line where the comment ends
                i = end;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                line += count(src, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') j += src.charAt(j) == '\\' ? 2 : 1;
                i = Math.min(j + 1, n);
            } else {
                if (c == '\n') line++;
                i++;
            }
        }
        return out;
    }

    private static int count(String s, int from, int to) {
        int k = 0;
        for (int i = from; i < to; i++) if (s.charAt(i) == '\n') k++;
        return k;
    }
}
