// The mutation engine, part 2 (the rest of the partial class Mutator begun in Mutator.cs): structural damage
// (a BOM, another top level, trailing content, deep nesting, invalid UTF-8, ...) and the JSON tokenizer and text
// helpers the mutations share.

namespace BoxFusion.Fuzz
{
    public static partial class Mutator
    {
        private static string Structure(string text, Random rng, List<string> notes)
        {
            switch (rng.Next(18))
            {
                case 16:
                {
                    // A character of a string value written as a \u escape (valid, the same string).
                    var strings = Tokens(text).Where(t => t.Value.Length > 2 && t.Value[0] == '"' && t.Value.IndexOf('\\') < 0).ToList();
                    if (strings.Count == 0) return text;
                    var s = strings[rng.Next(strings.Count)];
                    int at = s.Index + 1 + rng.Next(s.Length - 2);
                    string escape = "\\u" + ((int)text[at]).ToString("x4", CultureInfo.InvariantCulture);
                    notes.Add("escaped '" + text[at] + "' in the string at " + s.Index + " (valid)");
                    return Splice(text, at, at + 1, escape);
                }
                case 17:
                {
                    // Non-ASCII text in a string (valid UTF-8: e, acute; a euro sign; an emoji).
                    var strings = Tokens(text).Where(t => t.Value[0] == '"').ToList();
                    if (strings.Count == 0) return text;
                    var s = strings[rng.Next(strings.Count)];
                    string[] utf8 = { "\u00c3\u00a9", "\u00e2\u0082\u00ac", "\u00f0\u009f\u0098\u0080" };
                    int at = s.Index + 1 + rng.Next(s.Length - 1);
                    notes.Add("UTF-8 text in the string at " + s.Index + " (valid)");
                    return Splice(text, at, at, utf8[rng.Next(utf8.Length)]);
                }
                case 0: notes.Add("wrapped in an object under 'annotations'"); return "{\"info\": {}, \"annotations\": " + text + ", \"images\": []}";
                case 1: notes.Add("UTF-8 BOM"); return "\u00ef\u00bb\u00bf" + text;
                case 2:
                {
                    string g = Garbage[rng.Next(Garbage.Length)];
                    notes.Add("trailing '" + Short(g) + "'");
                    return text + g;
                }
                case 3:
                {
                    int a = rng.Next(text.Length), b = Math.Min(text.Length, a + rng.Next(400));
                    int at = rng.Next(text.Length);
                    notes.Add("copied bytes " + a + ".." + b + " to " + at);
                    return Splice(text, at, at, text.Substring(a, b - a));
                }
                case 4:
                {
                    var strings = Tokens(text).Where(t => t.Value[0] == '"').ToList();
                    if (strings.Count == 0) return text;
                    var s = strings[rng.Next(strings.Count)];
                    string[] bad = { "\u00ff", "\u00c3", "\u00e2\u0082", "\u0080", "\u00ed\u00a0\u0080", "\\ud800", "\\udc00x", "\\u12", "\\x", "\t", "\u0001" };
                    string insert = bad[rng.Next(bad.Length)];
                    int at = s.Index + 1 + rng.Next(s.Length - 1);
                    notes.Add("inserted '" + Short(insert) + "' in the string at " + s.Index);
                    return Splice(text, at, at, insert);
                }
                case 5:
                {
                    int depth = 10 + rng.Next(120);
                    var tokens = Tokens(text);
                    if (tokens.Count == 0) return text;
                    var t = tokens[rng.Next(tokens.Count)];
                    notes.Add("nested " + depth + " deep at " + t.Index);
                    return Splice(text, t.Index, t.Index + t.Length, new string('[', depth) + t.Value + new string(']', depth));
                }
                case 6:
                {
                    string[] tops = { "", " \n\t ", "null", "{}", "\"detections\"", "42", "[]", "[1, 2]", "[[]]", "[null]", "[{}]", "\u00ef\u00bb\u00bf", "\u00ef\u00bb\u00bf[]", "[{}, 1]", "true" };
                    string top = tops[rng.Next(tops.Length)];
                    notes.Add("replaced the file with '" + Short(top) + "'");
                    return top;
                }
                case 7:
                {
                    // A record replaced by another kind of value.
                    int at = text.IndexOf('{', rng.Next(text.Length));
                    if (at < 0) return text;
                    int end = text.IndexOf('}', at);
                    if (end < 0) return text;
                    string[] values = { "[1, 2, 3, 4]", "null", "\"record\"", "7", "{}", "true" };
                    string v = values[rng.Next(values.Length)];
                    notes.Add("record at " + at + " replaced with " + v);
                    return Splice(text, at, end + 1, v);
                }
                case 8: notes.Add("trailing comma in the list"); return TrimEndBracket(text, ",]");
                case 9: notes.Add("comment inside"); return Insert(text, rng, " /* note */ ");
                case 10: notes.Add("CRLF, tabs and padding (valid)"); return text.Replace(", ", ",\r\n\t  ").Replace(": ", " :   ");
                case 11: notes.Add("escaped key names (valid)"); return text.Replace("\"image_id\"", "\"image\\u005fid\"").Replace("\"score\"", "\"\\u0073core\"");
                case 12:
                {
                    // An extra unknown field with a big or nested value (valid; skipped).
                    int at = text.IndexOf('{', rng.Next(text.Length));
                    if (at < 0) return text;
                    string extra = rng.Next(2) == 0 ? "\"keypoints\": [[" + string.Join(", ", Enumerable.Range(0, 200 + rng.Next(2000))) + "]], " : "\"note\": \"" + new string('x', 1000 + rng.Next(100000)) + "\", ";
                    notes.Add("extra field at " + at + " (" + extra.Length + " bytes)");
                    return Splice(text, at + 1, at + 1, extra);
                }
                case 13: notes.Add("NUL bytes inside"); return Insert(text, rng, "\0\0");
                case 14: notes.Add("single quotes"); return text.Replace("\"score\"", "'score'");
                default: notes.Add("unquoted key"); return text.Replace("\"category_id\"", "category_id");
            }
        }

        /// <summary>A JSON token's place in the text: strings, numbers, literals, punctuation (a fast hand scan; Regex is 20x slower here).</summary>
        internal struct Tok
        {
            public int Index, Length;
            public string Value;
        }

        internal static List<Tok> Tokens(string text)
        {
            var list = new List<Tok>(text.Length / 4);
            int i = 0, n = text.Length;
            while (i < n)
            {
                char c = text[i];
                int start = i;
                if (c == '"')
                {
                    i++;
                    while (i < n && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
                    if (i >= n) break; // an unterminated string is no token
                    i++;
                }
                else if (c == '-' || c >= '0' && c <= '9')
                {
                    i++;
                    while (i < n && (char.IsDigit(text[i]) || text[i] == '.' || text[i] == 'e' || text[i] == 'E' || text[i] == '+' || text[i] == '-' && (text[i - 1] == 'e' || text[i - 1] == 'E'))) i++;
                }
                else if (c == '[' || c == ']' || c == '{' || c == '}' || c == ':' || c == ',') i++;
                else if (c >= 'a' && c <= 'z')
                {
                    while (i < n && text[i] >= 'a' && text[i] <= 'z') i++;
                }
                else { i++; continue; }
                list.Add(new Tok { Index = start, Length = i - start, Value = text.Substring(start, i - start) });
            }
            return list;
        }

        /// <summary>The text with the characters from start up to end replaced by insert (end == start: inserted).</summary>
        internal static string Splice(string text, int start, int end, string insert) =>
            string.Concat(text.AsSpan(0, start), insert, text.AsSpan(end));

        private static string TrimEndBracket(string text, string replacement)
        {
            int at = text.LastIndexOf(']');
            return at < 0 ? text : Splice(text, at, at + 1, replacement);
        }

        private static string Insert(string text, Random rng, string what)
        {
            int at = rng.Next(text.Length + 1);
            return Splice(text, at, at, what);
        }

        private static string Short(string s)
        {
            var sb = new StringBuilder();
            foreach (char c in s.Length > 24 ? string.Concat(s.AsSpan(0, 24), "...") : s) sb.Append(c < 32 || c > 126 ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) : c.ToString());
            return sb.ToString();
        }
    }
}
