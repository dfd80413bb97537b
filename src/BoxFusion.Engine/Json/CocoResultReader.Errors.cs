using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace BoxFusion.Json
{
    // The failure paths of the reader: each names the file, the record and the byte.
    public sealed partial class CocoResultReader
    {
        private long TokenPosition(ref Utf8JsonReader reader) => bufferOffset + start + reader.TokenStartIndex;

        private static string Describe(JsonTokenType type) => RecordParser.TypeName(type);

        private bool IsWhitespace(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                byte b = buffer[i];
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n') return false;
            }
            return true;
        }

        /// <summary>After the closing bracket only whitespace may follow.</summary>
        private void CheckNothingFollows()
        {
            while (true)
            {
                if (!IsWhitespace(start, end))
                {
                    int at = start;
                    while (IsWhitespace(at, at + 1)) at++;
                    throw new ResultFileException(ResultFileProblem.TrailingContent, Path, bufferOffset + at, -1,
                        "unexpected content after the end of the list of detections.");
                }
                start = end;
                if (eof) return;
                Fill();
            }
        }

        /// <summary>Only whitespace (after a BOM) in the whole file.</summary>
        private ResultFileException Empty()
        {
            bool bom = bufferOffset == 0 && end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF;
            bool nothing = bufferOffset + end == (bom ? 3 : 0);
            return new ResultFileException(ResultFileProblem.FileEmpty, Path, bufferOffset + end, -1,
                nothing ? "the file is empty; expected a JSON list of detections." : "the file holds only whitespace; expected a JSON list of detections.");
        }

        private ResultFileException Truncated(Exception inner) =>
            new ResultFileException(ResultFileProblem.Truncated, Path, bufferOffset + end, begun ? recordIndex : -1,
                "the file ends in the middle of " + (begun ? "a record" : "its first value") + "; it looks truncated (was the job that wrote it stopped?).", inner);

        /// <summary>
        /// Turns a JsonException into a file error: an empty file; nesting beyond the limit; Python's NaN/Infinity; a truncation
        /// (what is there is a valid beginning of JSON that the end of the file cut short); else invalid JSON at that byte.
        /// </summary>
        private ResultFileException Malformed(JsonException e, long consumed, int depth)
        {
            if (!begun && eof && IsWhitespace(start, end)) return Empty();
            int at = start + (int)consumed;
            while (at < end && (IsWhitespace(at, at + 1) || buffer[at] == (byte)',' || buffer[at] == (byte)':')) at++;
            long position = bufferOffset + at;
            long rec = begun ? recordIndex : -1;
            if (JsonLimits.IsDepthExceeded(depth, buffer, at, end))
                return new ResultFileException(ResultFileProblem.NestedTooDeep, Path, position, rec, JsonLimits.NestedTooDeepMessage, e);
            string token = Encoding.UTF8.GetString(buffer, at, Math.Min(12, end - at));
            foreach (var word in new[] { "NaN", "Infinity", "-Infinity" })
            {
                if (token.StartsWith(word, StringComparison.Ordinal))
                {
                    return new ResultFileException(ResultFileProblem.NonFiniteNumber, Path, position, rec,
                        "the value " + word + " is not a JSON number (Python's json writes it for a nan or inf score, e.g. from a diverged model); remove or fix that record.", e);
                }
            }
            if (eof && IsValidPrefix()) return Truncated(e);
            if (bufferOffset == 0 && at <= 4 && LooksLikeUtf16())
            {
                return new ResultFileException(ResultFileProblem.NotJson, Path, 0, -1,
                    "the file is UTF-16 text (Windows PowerShell's Out-File and > write that); JSON files must be UTF-8: save it with Set-Content -Encoding utf8 or Out-File -Encoding utf8.", e);
            }
            if (!begun && bufferOffset + start <= 3)
            {
                return new ResultFileException(ResultFileProblem.NotJson, Path, position, -1,
                    "this is not a JSON file (it starts with '" + Printable(token) + "'); expected a JSON list of detections.", e);
            }
            return new ResultFileException(ResultFileProblem.NotJson, Path, position, rec,
                "invalid JSON near '" + Printable(token) + "'.", e);
        }

        /// <summary>
        /// At the end of the file: is everything from the last good token on a valid start of JSON that only lacks its end?
        /// Read as a non-final block, such text makes the reader ask for more data instead of failing.
        /// </summary>
        private bool IsValidPrefix()
        {
            var r = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, start, end - start), false, state);
            try
            {
                while (r.Read()) { }
                return true; // it only asked for more
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>A UTF-16 byte order mark, or a NUL in every other byte of the first ones ('[' 00 '{' 00).</summary>
        private bool LooksLikeUtf16()
        {
            if (bufferOffset != 0 || end < 2) return false;
            if (buffer[0] == 0xFF && buffer[1] == 0xFE || buffer[0] == 0xFE && buffer[1] == 0xFF) return true;
            return end >= 4 && (buffer[1] == 0 && buffer[3] == 0 || buffer[0] == 0 && buffer[2] == 0);
        }

        private static string Printable(string s)
        {
            var sb = new StringBuilder();
            foreach (char c in s) sb.Append(char.IsControl(c) || c == '\uFFFD' ? '?' : c);
            return sb.ToString();
        }

        /// <summary>The top level is not a list: say so, and name the keys that hold lists (e.g. a ground-truth file's 'annotations').</summary>
        private ResultFileException NotAList(string found, Utf8JsonReader reader)
        {
            long position = TokenPosition(ref reader);
            string detail = "the file holds " + found + ", but a COCO results file is a JSON list of detections.";
            if (found == "a JSON object")
            {
                var keys = ListKeys();
                if (keys.Count > 0)
                {
                    detail += " Its key" + (keys.Count == 1 ? " '" : "s '") + string.Join("', '", keys) + (keys.Count == 1 ? "' holds a list" : "' hold lists") +
                        (keys.Contains("annotations") ? "; this looks like a COCO ground-truth (annotations) file, not a results file." : ".");
                }
            }
            return new ResultFileException(ResultFileProblem.NotAList, Path, position, -1, detail);
        }

        /// <summary>
        /// Top-level keys whose values are lists, read token by token through the rest of the file
        /// (one token at a time in the buffer, so a huge ground-truth file is scanned in flat memory).
        /// </summary>
        private List<string> ListKeys()
        {
            var keys = new List<string>();
            try
            {
                var scanState = JsonLimits.NewState();
                string pending = null; // a depth-1 property name whose value comes next
                while (true)
                {
                    var r = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, start, end - start), eof, scanState);
                    while (r.Read())
                    {
                        if (pending != null)
                        {
                            if (r.TokenType == JsonTokenType.StartArray) keys.Add(pending);
                            pending = null;
                        }
                        if (r.TokenType == JsonTokenType.PropertyName && r.CurrentDepth == 1) pending = r.GetString();
                        else if (r.TokenType == JsonTokenType.EndObject && r.CurrentDepth == 0) return keys;
                    }
                    start += (int)r.BytesConsumed;
                    scanState = r.CurrentState;
                    if (eof) return keys;
                    Fill();
                }
            }
            catch (JsonException)
            {
                return keys;
            }
            catch (InvalidOperationException)
            {
                return keys;
            }
            catch (ResultFileException)
            {
                return keys; // one token larger than the buffer may grow: stop looking
            }
        }
    }
}
