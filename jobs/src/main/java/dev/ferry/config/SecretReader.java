package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the secrets of a channel file ({@code ${env:NAME}}, {@code ${file:/path}} or a {@code *-file} key)
 * and rejects literal ones, which would end up in job parameters. Problem texts never contain the secret.
 */
final class SecretReader {
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)\\}");
    private static final Pattern FILE_REF = Pattern.compile("\\$\\{file:([^}]+)\\}");

    private final ConfigReader r;
    private final Function<String, String> env;

    SecretReader(ConfigReader r, Function<String, String> env) {
        this.r = r;
        this.env = env;
    }

    /**
     * Resolves a secret given either as {@code key: "${env:NAME}"}, {@code key: "${file:/path}"} or
     * {@code fileKey: /path}; {@code null} if absent or if it has problems.
     *
     * @param inline the value of {@code key}, {@code null} if absent
     * @param file the value of {@code fileKey}, {@code null} if absent
     * @param owner who the secret belongs to in problem texts, e.g. {@code site 'sh'}
     * @param what what the secret is in problem texts, e.g. {@code password}
     */
    Secret read(JsonNode inline, JsonNode file, String parent, String key, String fileKey, boolean required,
                String owner, String what) {
        String keyPath = parent + "." + key;
        String filePath = parent + "." + fileKey;
        String useRefs = "write '" + key + ": \"${env:VARIABLE}\"' and set VARIABLE in the environment, or '"
                + key + ": \"${file:/path}\"', or '" + fileKey + ": /path/to/file'";
        String literal = "literal " + what + "s are not allowed in channel files (they end up in job parameters)";
        if (inline != null && file != null) {
            r.problem(keyPath, "both '" + key + "' and '" + fileKey + "' are set", "keep only one of them");
            return null;
        }
        if (inline == null && file == null) {
            if (required) {
                r.problem(keyPath, "required key is missing (set '" + key + "' or '" + fileKey + "')",
                        "add '" + key + ": \"${env:VARIABLE}\"' or '" + fileKey + ": /path/to/file'");
            }
            return null;
        }
        if (file != null) {
            String path = r.text(file, parent, fileKey, true, "/etc/ferry/secret");
            return path == null ? null : readFile(path, filePath, owner, what);
        }
        if (inline.isContainerNode() || inline.isNull()) {
            r.problem(keyPath, "expected text such as \"${env:VARIABLE}\", got " + ConfigReader.describe(inline),
                    useRefs);
            return null;
        }
        if (!inline.isTextual()) {
            r.problem(keyPath, literal, useRefs);
            return null;
        }
        String value = inline.textValue().trim();
        Matcher envRef = ENV_REF.matcher(value);
        if (envRef.matches()) {
            return fromEnvironment(envRef.group(1), keyPath, fileKey, owner, what);
        }
        Matcher fileRef = FILE_REF.matcher(value);
        if (fileRef.matches()) {
            return readFile(fileRef.group(1).trim(), keyPath, owner, what);
        }
        if (value.contains("${")) {
            r.problem(keyPath, "unsupported placeholder; only \"${env:NAME}\" and \"${file:/path}\" are supported",
                    "write \"${env:NAME}\" (NAME made of letters, digits and '_'), \"${file:/path}\", or use '"
                            + fileKey + "'");
            return null;
        }
        r.problem(keyPath, literal, useRefs);
        return null;
    }

    private Secret fromEnvironment(String variable, String path, String fileKey, String owner, String what) {
        String resolved = env.apply(variable);
        if (resolved == null) {
            r.problem(path, owner + ": environment variable '" + variable + "' is not set",
                    "set " + variable + " in the environment of the process that runs Ferry, or use '"
                            + fileKey + "'");
            return null;
        }
        if (resolved.isEmpty()) {
            r.problem(path, owner + ": environment variable '" + variable + "' is empty",
                    "set " + variable + " to the " + what);
            return null;
        }
        return Secret.of(resolved);
    }

    /** The file's UTF-8 content without trailing line breaks (editors add one). */
    private Secret readFile(String pathText, String path, String owner, String what) {
        String prefix = owner + ": " + what + " file '" + pathText + "'";
        Path file;
        try {
            file = Path.of(pathText);
        } catch (InvalidPathException e) {
            r.problem(path, prefix + " is not a valid path", "fix the path");
            return null;
        }
        if (!Files.exists(file)) {
            r.problem(path, prefix + " does not exist",
                    "create the file (containing only the " + what + ") or fix the path");
            return null;
        }
        if (Files.isDirectory(file)) {
            r.problem(path, prefix + " is a directory", "point to the file that contains the " + what);
            return null;
        }
        String content;
        try {
            byte[] bytes = Files.readAllBytes(file);
            content = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (AccessDeniedException e) {
            r.problem(path, prefix + " cannot be read (permission denied)",
                    "make the file readable by the user that runs Ferry");
            return null;
        } catch (CharacterCodingException e) {
            r.problem(path, prefix + " is not UTF-8 text", "save the " + what + " as UTF-8 text");
            return null;
        } catch (IOException e) {
            r.problem(path, prefix + " cannot be read (" + e.getClass().getSimpleName() + ")",
                    "check that the file is readable by the user that runs Ferry");
            return null;
        }
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            r.problem(path, prefix + " is empty", "write the " + what + " into the file");
            return null;
        }
        return Secret.of(content.substring(0, end));
    }
}
