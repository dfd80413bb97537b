#Requires -Version 7.0
<#
.SYNOPSIS
    Fuzz test of bad input: mutated COCO files through Import-Detection | Merge-Detection | Export-Submission.
.DESCRIPTION
    Each case takes a fixture file from tests/data/case-a or case-b and mutates it: truncation at a random
    offset, byte flips, swapped tokens, deleted fields, extreme numbers (1e400, NaN, -1, "0.5", huge integers)
    and random valid numbers of every shape (long mantissas, big exponents, halfway cases, subnormals),
    structural damage (a BOM, an object instead of a list, trailing content, deep nesting, invalid UTF-8) or a
    mix of these. Most cases mutate a results file; some mutate the ground truth given to -ImageInfo.

    The case runs, in a runspace of this process, as
        Import-Detection $f -ErrorAction SilentlyContinue -ErrorVariable e -WarningAction SilentlyContinue |
            Merge-Detection [-Method ...] [-ImageInfo gt.json] | Export-Submission $out -Force
    (or Merge-Detection -LiteralPath $f, reading the file itself) and, for one case in four, again with
    -ErrorAction Stop. A case fails when:
      - anything surfaces that is not an ErrorRecord of ours: a .NET exception (ErrorId 'System.…'), an
        ErrorId we do not define, an exception type other than BoxFusionException / ResultFileException;
      - it takes longer than -TimeoutSeconds (a hang);
      - an error lacks its category, its target (the file) or, for a file error, the byte position;
      - the result is silently wrong: an independent reading of the same bytes (System.Text.Json's
        JsonDocument, with the documented rules for records) disagrees on whether the file is readable,
        on any good record (id, category, box and score, exactly) or on the number of records skipped
        per problem; a truncated file
        is not reported as ResultFileTruncated; a strictly invalid -ImageInfo file is accepted;
      - the submission written does not read back (as strict JSON) exactly as the fused detections that
        Export-Submission keeps, or a file is written although the pipeline stopped, or a temporary file is left;
      - with -ErrorAction Stop, an error does not stop the pipeline, or the pipeline stops without one.
    Failing inputs are kept in -FailureFolder for replay (-Only <case number>).

    Run directly (build.ps1 -Task Fuzz does, and tests/Pester/Fuzz.Tests.ps1 in a child process with a time
    limit) it prints a summary and exits 1 on any failure or hang. Dot-sourced, it only defines
    Invoke-BoxFusionFuzz (which returns the summary) and Format-FuzzSummary.
.EXAMPLE
    dotnet pwsh tests/Fuzz/Fuzz.ps1 -ModulePath out/BoxFusion -Cases 20000
.EXAMPLE
    dotnet pwsh tests/Fuzz/Fuzz.ps1 -ModulePath out/BoxFusion -Seed 7 -Only 1234   # replay one case
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/BoxFusion'),
    [int] $Cases = 2000,
    [int] $Seed = 20250101,
    [double] $TimeoutSeconds = 10,
    # Case numbers to replay (with the same -Seed): 17 or 17,400 (also as one argument of pwsh -File).
    [string[]] $Only,
    [string] $FailureFolder = (Join-Path $PSScriptRoot '../../out/fuzz-failures'),
    # Also write the summary as JSON here (tests/Pester/Fuzz.Tests.ps1 reads it).
    [string] $SummaryPath
)

$script:FuzzDataRoot = Join-Path $PSScriptRoot '../data'

# The mutation engine and the independent oracle, in C# for speed (a case must cost milliseconds).
$script:FuzzSource = @'
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BoxFusionFuzz
{
    public sealed class Mutant
    {
        public byte[] Data;
        public string Description;
        /// <summary>The file is the original cut short (so an unreadable result must be called a truncation).</summary>
        public bool StrictPrefix;
    }

    public static class Mutator
    {
        private static readonly Encoding Latin1 = Encoding.GetEncoding("ISO-8859-1");
        private static readonly Regex Field = new Regex(@"""(image_id|category_id|bbox|score|id|width|height|file_name)""\s*:\s*(\[[^\]]*\]|""[^""]*""|[^,}\]]+)", RegexOptions.Compiled | RegexOptions.CultureInvariant);
        private static readonly string[] Extremes =
        {
            "1e400", "-1e400", "-1", "-0.5", "NaN", "Infinity", "-Infinity", "99999999999999999999999", "-0", "1e-400",
            "1.7976931348623157e308", "-1.7976931348623157e308", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "2147483648", "-2147483649", "0", "1e308", "4.9e-324", "1E+2", "1.5", "2",
            "01", ".5", "1.", "+1", "0x10", "null", "true", "\"\"", "[]", "{}", "[1,2,3,4]", "\"NaN\"",
        };
        private static readonly string[] Garbage = { "x", "]", "}", ",", "\0", ",{}", "[]", "\"", "{", ", ", "\n\n", "\u00ff", "/* */", "NaN" };

        /// <summary>
        /// A results file, or (three times in four) a run of 10 to 150 of its records as a smaller valid list:
        /// cheaper cases, the same kinds of damage.
        /// </summary>
        public static byte[] Slice(byte[] source, Random rng)
        {
            if (rng.Next(4) == 0) return source;
            string text = Latin1.GetString(source);
            var starts = new List<int>();
            for (int i = text.IndexOf('{'); i >= 0; i = text.IndexOf("}, {", i + 1, StringComparison.Ordinal)) starts.Add(i == 0 || text[i] == '{' ? i : i + 3);
            if (starts.Count < 20) return source;
            int count = 10 + rng.Next(141);
            int first = rng.Next(Math.Max(1, starts.Count - count));
            int last = Math.Min(starts.Count - 1, first + count - 1);
            int end = last + 1 < starts.Count ? starts[last + 1] - 2 : text.LastIndexOf('}') + 1;
            return Latin1.GetBytes("[" + text.Substring(starts[first], end - starts[first]) + "]");
        }

        public static Mutant Mutate(byte[] source, Random rng)
        {
            int kind = rng.Next(100);
            var m = new Mutant();
            if (kind < 18) { m.Data = Truncate(source, rng, out m.Description); m.StrictPrefix = true; return m; }
            string text = Latin1.GetString(source);
            var notes = new List<string>();
            if (kind < 32) text = FlipBytes(text, rng, notes);
            else if (kind < 46) text = SwapTokens(text, rng, notes);
            else if (kind < 62) text = DeleteField(text, rng, notes);
            else if (kind < 80) text = ExtremeNumbers(text, rng, notes);
            else if (kind < 92) text = Structure(text, rng, notes);
            else
            {
                int n = 2 + rng.Next(2);
                for (int i = 0; i < n; i++)
                {
                    switch (rng.Next(5))
                    {
                        case 0: text = FlipBytes(text, rng, notes); break;
                        case 1: text = SwapTokens(text, rng, notes); break;
                        case 2: text = DeleteField(text, rng, notes); break;
                        case 3: text = ExtremeNumbers(text, rng, notes); break;
                        default: text = Structure(text, rng, notes); break;
                    }
                }
                if (rng.Next(3) == 0)
                {
                    var cut = Truncate(Latin1.GetBytes(text), rng, out string d);
                    notes.Add(d);
                    text = Latin1.GetString(cut);
                }
            }
            m.Data = Latin1.GetBytes(text);
            m.Description = string.Join("; ", notes);
            return m;
        }

        private static byte[] Truncate(byte[] data, Random rng, out string description)
        {
            // Mostly anywhere; sometimes near either end, where the reader's edge cases are.
            int len = data.Length;
            int at = rng.Next(4) == 0 ? (rng.Next(2) == 0 ? rng.Next(Math.Min(len, 40)) : Math.Max(0, len - 1 - rng.Next(Math.Min(len, 40)))) : rng.Next(len);
            var cut = new byte[at];
            Array.Copy(data, cut, at);
            description = "truncated at byte " + at + " of " + len;
            return cut;
        }

        private static string FlipBytes(string text, Random rng, List<string> notes)
        {
            if (text.Length == 0) return text;
            var chars = text.ToCharArray();
            int n = 1 + rng.Next(8);
            const string Meaningful = "[]{}:,\"\\0123456789-.eE \n";
            for (int i = 0; i < n; i++)
            {
                int at = rng.Next(chars.Length);
                char before = chars[at];
                switch (rng.Next(3))
                {
                    case 0: chars[at] = (char)rng.Next(256); break;
                    case 1: chars[at] = (char)(chars[at] ^ (1 << rng.Next(8)) & 0xFF); break;
                    default: chars[at] = Meaningful[rng.Next(Meaningful.Length)]; break;
                }
                notes.Add(string.Format(CultureInfo.InvariantCulture, "byte {0}: 0x{1:X2} -> 0x{2:X2}", at, (int)before, (int)chars[at]));
            }
            return new string(chars);
        }

        private static string SwapTokens(string text, Random rng, List<string> notes)
        {
            int n = 1 + rng.Next(3);
            for (int k = 0; k < n; k++)
            {
                var tokens = Tokens(text);
                if (tokens.Count < 2) return text;
                int i = rng.Next(tokens.Count - 1);
                int j = rng.Next(2) == 0 ? Math.Min(tokens.Count - 1, i + 1 + rng.Next(3)) : i + 1 + rng.Next(tokens.Count - 1 - i);
                Tok a = tokens[i], b = tokens[j];
                text = text.Substring(0, a.Index) + b.Value + text.Substring(a.Index + a.Length, b.Index - a.Index - a.Length) + a.Value + text.Substring(b.Index + b.Length);
                notes.Add("swapped token " + i + " '" + Short(a.Value) + "' with token " + j + " '" + Short(b.Value) + "'");
            }
            return text;
        }

        private static string DeleteField(string text, Random rng, List<string> notes)
        {
            var fields = Field.Matches(text);
            if (fields.Count == 0) return text;
            int mode = rng.Next(10);
            if (mode == 0)
            {
                // One field from every record.
                string name = fields[rng.Next(fields.Count)].Groups[1].Value;
                notes.Add("deleted '" + name + "' everywhere");
                return Regex.Replace(text, @"""" + name + @"""\s*:\s*(\[[^\]]*\]|""[^""]*""|[^,}\]]+)\s*,?\s*", "");
            }
            var f = fields[rng.Next(fields.Count)];
            string field = f.Groups[1].Value;
            int start = f.Index, end = f.Index + f.Length;
            switch (mode)
            {
                case 1:
                    notes.Add("deleted the value of '" + field + "' at " + start);
                    return text.Substring(0, f.Groups[2].Index) + text.Substring(f.Groups[2].Index + f.Groups[2].Length);
                case 2:
                    notes.Add("deleted the key of '" + field + "' at " + start);
                    return text.Substring(0, start) + text.Substring(f.Groups[2].Index);
                case 3:
                    notes.Add("renamed '" + field + "' at " + start);
                    return text.Substring(0, start + 1) + field.ToUpperInvariant() + text.Substring(start + 1 + field.Length);
                case 4:
                    notes.Add("set '" + field + "' to null at " + start);
                    return text.Substring(0, f.Groups[2].Index) + "null" + text.Substring(f.Groups[2].Index + f.Groups[2].Length);
                case 5:
                    notes.Add("duplicated '" + field + "' at " + start);
                    return text.Substring(0, end) + ", " + f.Value + text.Substring(end);
                default:
                    // The field and one separator next to it, leaving a valid record.
                    while (end < text.Length && (text[end] == ',' || text[end] == ' ')) end++;
                    if (end < text.Length && text[end] == '}')
                    {
                        end = f.Index + f.Length;
                        while (start > 0 && (text[start - 1] == ' ' || text[start - 1] == ',')) start--;
                    }
                    notes.Add("deleted '" + field + "' at " + f.Index);
                    return text.Substring(0, start) + text.Substring(end);
            }
        }

        private static string ExtremeNumbers(string text, Random rng, List<string> notes)
        {
            var numbers = Tokens(text).Where(t => t.Value[0] == '-' || char.IsDigit(t.Value[0])).ToList();
            if (numbers.Count == 0) return text;
            var chosen = new List<Tok>();
            if (rng.Next(8) == 0)
            {
                // Many numbers rewritten as random valid numbers: every double must be read exactly.
                var sb2 = new StringBuilder();
                int last2 = 0, count2 = 0;
                foreach (var t in numbers)
                {
                    if (rng.Next(3) != 0) continue;
                    sb2.Append(text, last2, t.Index - last2).Append(RandomNumber(rng));
                    last2 = t.Index + t.Length;
                    count2++;
                }
                sb2.Append(text, last2, text.Length - last2);
                notes.Add("rewrote " + count2 + " numbers as random valid numbers");
                return sb2.ToString();
            }
            if (rng.Next(8) == 0)
            {
                // Every value of one kind: a whole file of quoted scores, say.
                string value = Extremes[rng.Next(Extremes.Length)];
                bool quote = rng.Next(3) == 0;
                int every = 1 + rng.Next(7);
                var sb = new StringBuilder();
                int last = 0, count = 0;
                for (int i = rng.Next(every); i < numbers.Count; i += every)
                {
                    var t = numbers[i];
                    sb.Append(text, last, t.Index - last).Append(quote ? "\"" + t.Value + "\"" : value);
                    last = t.Index + t.Length;
                    count++;
                }
                sb.Append(text, last, text.Length - last);
                notes.Add("replaced every " + every + "th number (" + count + ") with " + (quote ? "its quoted self" : value));
                return sb.ToString();
            }
            int n = 1 + rng.Next(4);
            for (int i = 0; i < n; i++) chosen.Add(numbers[rng.Next(numbers.Count)]);
            foreach (var t in chosen.GroupBy(t => t.Index).Select(g => g.First()).OrderByDescending(t => t.Index))
            {
                int pick = rng.Next(10);
                string value = pick == 0 ? "\"" + t.Value + "\"" : pick < 5 ? RandomNumber(rng) : Extremes[rng.Next(Extremes.Length)];
                notes.Add("number at " + t.Index + " '" + t.Value + "' -> " + value);
                text = text.Substring(0, t.Index) + value + text.Substring(t.Index + t.Length);
            }
            return text;
        }

        /// <summary>
        /// A valid JSON number of many shapes, to check that every double is read exactly (correctly rounded):
        /// long mantissas, big and small exponents, values near 2^53 and 2^63, halfway cases, subnormals.
        /// </summary>
        public static string RandomNumber(Random rng)
        {
            switch (rng.Next(6))
            {
                case 0: return (rng.NextDouble() * Math.Pow(10, rng.Next(-5, 8))).ToString("R", CultureInfo.InvariantCulture).Replace("E", "e");
                case 1: return BitConverter.Int64BitsToDouble(((long)rng.Next() << 32 | (uint)rng.Next()) & 0x7FEFFFFFFFFFFFFF).ToString("R", CultureInfo.InvariantCulture);
                case 2:
                {
                    string[] edges = { "9007199254740993", "9007199254740992.5", "1e22", "1e23", "8.98846567431158e307", "2.2250738585072011e-308",
                        "4.9406564584124654e-324", "0.1", "0.30000000000000004", "123456789012345678901234567890", "1.00000000000000011102230246251565404236316680908203125",
                        "9223372036854775807", "-9223372036854775808", "18446744073709551616", "0.000001", "1e-7", "100000000000000000000000", "7.0e0" };
                    return edges[rng.Next(edges.Length)];
                }
                default:
                {
                    // Random digits: an integer part, maybe a fraction, maybe an exponent.
                    var sb = new StringBuilder();
                    if (rng.Next(4) == 0) sb.Append('-');
                    int intDigits = 1 + rng.Next(rng.Next(3) == 0 ? 22 : 6);
                    sb.Append((char)('1' + rng.Next(9)));
                    for (int i = 1; i < intDigits; i++) sb.Append((char)('0' + rng.Next(10)));
                    if (rng.Next(2) == 0)
                    {
                        sb.Append('.');
                        int fraction = 1 + rng.Next(rng.Next(3) == 0 ? 25 : 8);
                        for (int i = 0; i < fraction; i++) sb.Append((char)('0' + rng.Next(10)));
                    }
                    if (rng.Next(3) == 0) sb.Append(rng.Next(2) == 0 ? 'e' : 'E').Append(rng.Next(3) == 0 ? "-" : rng.Next(2) == 0 ? "+" : "").Append(rng.Next(rng.Next(4) == 0 ? 330 : 25));
                    return sb.ToString();
                }
            }
        }

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
                    return text.Substring(0, at) + escape + text.Substring(at + 1);
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
                    return text.Substring(0, at) + utf8[rng.Next(utf8.Length)] + text.Substring(at);
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
                    return text.Substring(0, at) + text.Substring(a, b - a) + text.Substring(at);
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
                    return text.Substring(0, at) + insert + text.Substring(at);
                }
                case 5:
                {
                    int depth = 10 + rng.Next(120);
                    var tokens = Tokens(text);
                    if (tokens.Count == 0) return text;
                    var t = tokens[rng.Next(tokens.Count)];
                    notes.Add("nested " + depth + " deep at " + t.Index);
                    return text.Substring(0, t.Index) + new string('[', depth) + t.Value + new string(']', depth) + text.Substring(t.Index + t.Length);
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
                    return text.Substring(0, at) + v + text.Substring(end + 1);
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
                    string extra = rng.Next(2) == 0 ? "\"segmentation\": [[" + string.Join(", ", Enumerable.Range(0, 200 + rng.Next(2000))) + "]], " : "\"note\": \"" + new string('x', 1000 + rng.Next(100000)) + "\", ";
                    notes.Add("extra field at " + at + " (" + extra.Length + " bytes)");
                    return text.Substring(0, at + 1) + extra + text.Substring(at + 1);
                }
                case 13: notes.Add("NUL bytes inside"); return Insert(text, rng, "\0\0");
                case 14: notes.Add("single quotes"); return text.Replace("\"score\"", "'score'");
                default: notes.Add("unquoted key"); return text.Replace("\"category_id\"", "category_id");
            }
        }

        /// <summary>A JSON token's place in the text: strings, numbers, literals, punctuation (a fast hand scan; Regex is 20x slower here).</summary>
        public struct Tok
        {
            public int Index, Length;
            public string Value;
        }

        public static List<Tok> Tokens(string text)
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

        private static string TrimEndBracket(string text, string replacement)
        {
            int at = text.LastIndexOf(']');
            return at < 0 ? text : text.Substring(0, at) + replacement + text.Substring(at + 1);
        }

        private static string Insert(string text, Random rng, string what)
        {
            int at = rng.Next(text.Length + 1);
            return text.Substring(0, at) + what + text.Substring(at);
        }

        private static string Short(string s)
        {
            var sb = new StringBuilder();
            foreach (char c in s.Length > 24 ? s.Substring(0, 24) + "..." : s) sb.Append(c < 32 || c > 126 ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) : c.ToString());
            return sb.ToString();
        }
    }

    /// <summary>
    /// Runs a pipeline on a background thread of its own (the runspace uses the calling thread), with a time limit.
    /// A pipeline that hangs is left behind on its thread, which does not keep the process from exiting.
    /// </summary>
    public static class Runner
    {
        public sealed class Outcome
        {
            public System.Collections.ObjectModel.Collection<PSObject> Output;
            public Exception Error;
            public bool TimedOut;
        }

        public static Outcome Invoke(PowerShell ps, int timeoutMilliseconds)
        {
            var outcome = new Outcome();
            var thread = new System.Threading.Thread(() =>
            {
                try { outcome.Output = ps.Invoke(); }
                catch (Exception e) { outcome.Error = e; }
            }, 16 << 20) { IsBackground = true, Name = "BoxFusion fuzz case" };
            thread.Start();
            if (!thread.Join(timeoutMilliseconds))
            {
                outcome.TimedOut = true;
                try { ps.BeginStop(null, null); } catch (Exception) { }
            }
            return outcome;
        }
    }

    /// <summary>What an independent reading of a results file says the reader must do.</summary>
    public sealed class Expectation
    {
        /// <summary>The file must fail; FileProblem is the exact problem when one is certain, else null (any file error).</summary>
        public bool FileError;
        public string FileProblem;
        public string Reason;
        public long Good;
        public long Records;
        public Dictionary<string, long> Skipped = new Dictionary<string, long>();
        /// <summary>The good records as the reader must give them: image id (long or string), category, x, y, width, height, score.</summary>
        public List<object[]> GoodRecords = new List<object[]>();
        public override string ToString() => FileError
            ? "file error " + (FileProblem ?? "(any)") + ": " + Reason
            : Good + " good of " + Records + (Skipped.Count > 0 ? ", skipped " + string.Join(", ", Skipped.Select(p => p.Key + "=" + p.Value)) : "");
    }

    /// <summary>
    /// The documented rules, applied with JsonDocument (strict RFC 8259) rather than the streaming reader:
    /// a file that does not parse fails; a top level that is not a list fails (NotAList); an item that is not
    /// an object fails (RecordNotAnObject); else each record is good or skipped for its first problem.
    /// </summary>
    public static class Oracle
    {
        public static Expectation Classify(byte[] data, bool strictPrefix)
        {
            var x = new Expectation();
            int offset = data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
            bool blank = true;
            for (int i = offset; i < data.Length && blank; i++) blank = data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n';
            if (blank) return Fail(x, "FileEmpty", "only whitespace");
            JsonDocument doc;
            try { doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(data, offset, data.Length - offset)); }
            catch (JsonException e) { return Fail(x, strictPrefix ? "Truncated" : null, e.Message); }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Array) return Fail(x, "NotAList", "top level is " + root.ValueKind);
                try
                {
                    foreach (var record in root.EnumerateArray())
                    {
                        if (record.ValueKind != JsonValueKind.Object) return Fail(x, "RecordNotAnObject", "item " + x.Records + " is " + record.ValueKind);
                        string problem = Record(record, out object[] good);
                        x.Records++;
                        if (problem == null) { x.Good++; x.GoodRecords.Add(good); }
                        else x.Skipped[problem] = (x.Skipped.TryGetValue(problem, out long n) ? n : 0) + 1;
                    }
                }
                catch (InvalidOperationException e)
                {
                    return Fail(x, "NotJson", "a string is not valid UTF-8: " + e.Message);
                }
            }
            return x;
        }

        private static Expectation Fail(Expectation x, string problem, string reason)
        {
            x.FileError = true;
            x.FileProblem = problem;
            x.Reason = reason;
            return x;
        }

        private static bool Finite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);

        /// <summary>The first problem of a record (property order), then missing fields, negative sizes, negative scores.</summary>
        private static string Record(JsonElement record, out object[] good)
        {
            good = null;
            string problem = null;
            bool hasImage = false, hasCategory = false, hasBox = false, hasScore = false;
            double x = 0, y = 0, w = 0, h = 0, score = 0;
            object image = null;
            int category = 0;
            foreach (var p in record.EnumerateObject())
            {
                int field = p.NameEquals("image_id") ? 0 : p.NameEquals("category_id") ? 1 : p.NameEquals("bbox") ? 2 : p.NameEquals("score") ? 3 : -1;
                var v = p.Value;
                var kind = v.ValueKind;
                if (field < 0) continue;
                if (field != 2 && (kind == JsonValueKind.Array || kind == JsonValueKind.Object)) { problem = problem ?? "WrongType"; continue; }
                switch (field)
                {
                    case 0:
                        if (kind == JsonValueKind.Number) { if (v.TryGetInt64(out long id)) { hasImage = true; image = id; } else problem = problem ?? "WrongType"; }
                        else if (kind == JsonValueKind.String) { image = v.GetString(); hasImage = true; }
                        else problem = problem ?? "WrongType";
                        break;
                    case 1:
                        if (kind == JsonValueKind.Number && v.TryGetInt32(out int c)) { hasCategory = true; category = c; }
                        else problem = problem ?? "WrongType";
                        break;
                    case 2:
                        if (kind != JsonValueKind.Array) { problem = problem ?? "BadBox"; break; }
                        string boxProblem = null;
                        int count = 0;
                        var values = new double[4];
                        foreach (var item in v.EnumerateArray())
                        {
                            if (item.ValueKind == JsonValueKind.Number)
                            {
                                if (count < 4)
                                {
                                    if (!item.TryGetDouble(out double d) || !Finite(d)) boxProblem = boxProblem ?? "NonFiniteNumber";
                                    else values[count] = d;
                                }
                            }
                            else boxProblem = boxProblem ?? (item.ValueKind == JsonValueKind.String ? "WrongType" : "BadBox");
                            count++;
                        }
                        if (boxProblem == null && count != 4) boxProblem = "BadBox";
                        if (boxProblem != null) problem = problem ?? boxProblem;
                        else { x = values[0]; y = values[1]; w = values[2]; h = values[3]; hasBox = true; }
                        break;
                    case 3:
                        if (kind == JsonValueKind.Number)
                        {
                            if (v.TryGetDouble(out double s) && Finite(s)) { score = s; hasScore = true; }
                            else problem = problem ?? "NonFiniteNumber";
                        }
                        else problem = problem ?? "WrongType";
                        break;
                }
            }
            if (problem != null) return problem;
            if (!hasImage || !hasCategory || !hasBox || !hasScore) return "MissingField";
            if (w < 0 || h < 0) return "NegativeSize";
            if (score < 0) return "ScoreOutOfRange";
            good = new object[] { image, category, x, y, w, h, score };
            return null;
        }

        /// <summary>The detections Import-Detection passed on against the good records, in order and exactly. Null when they agree.</summary>
        public static string CompareImported(Expectation x, IList imported)
        {
            int count = imported == null ? 0 : imported.Count;
            if (count != x.GoodRecords.Count) return "Import-Detection passed on " + count + " detections; expected " + x;
            for (int i = 0; i < count; i++)
            {
                var o = imported[i];
                var d = (o is PSObject ps ? ps.BaseObject : o) as BoxFusion.Detection;
                var r = x.GoodRecords[i];
                bool sameId = d != null && (r[0] is string s ? d.ImageId is string t && t == s : d.ImageId is long n && n == (long)r[0]);
                if (!sameId || d.CategoryId != (int)r[1] || d.X != (double)r[2] || d.Y != (double)r[3] || d.Width != (double)r[4] || d.Height != (double)r[5] || d.Score != (double)r[6])
                {
                    return string.Format(CultureInfo.InvariantCulture, "detection {0} is {1}; the file says image {2}, category {3}, box [{4}, {5}, {6}, {7}], score {8}",
                        i, d, r[0] is string q ? "\"" + q + "\"" : r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
                }
            }
            return null;
        }

        /// <summary>Is this strictly valid JSON (after an optional BOM)?</summary>
        public static bool IsJson(byte[] data)
        {
            int offset = data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
            try { using (JsonDocument.Parse(new ReadOnlyMemory<byte>(data, offset, data.Length - offset))) return true; }
            catch (JsonException) { return false; }
        }

        /// <summary>
        /// The submission, read as strict JSON, against the fused detections Export-Submission keeps (an image id,
        /// finite numbers, positive width and height), in order and exactly. Null when they agree.
        /// </summary>
        public static string CompareSubmission(byte[] file, IList fused)
        {
            var kept = new List<BoxFusion.Detection>();
            if (fused != null)
            {
                foreach (var o in fused)
                {
                    var d = (o is PSObject ps ? ps.BaseObject : o) as BoxFusion.Detection;
                    if (d == null) return "Merge-Detection wrote a " + (o == null ? "null" : o.GetType().FullName);
                    if (d.ImageId != null && Finite(d.Score) && Finite(d.X) && Finite(d.Y) && Finite(d.Width) && Finite(d.Height) && d.Width > 0 && d.Height > 0) kept.Add(d);
                }
            }
            JsonDocument doc;
            try { doc = JsonDocument.Parse(file); }
            catch (JsonException e) { return "the submission is not valid JSON: " + e.Message; }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Array) return "the submission is not a list";
                int i = 0;
                foreach (var r in doc.RootElement.EnumerateArray())
                {
                    if (i >= kept.Count) return "the submission has more records than the " + kept.Count + " kept";
                    var d = kept[i];
                    try
                    {
                        var id = r.GetProperty("image_id");
                        bool sameId = d.ImageId is string s ? id.ValueKind == JsonValueKind.String && id.GetString() == s : id.ValueKind == JsonValueKind.Number && id.GetInt64() == (long)d.ImageId;
                        var box = r.GetProperty("bbox");
                        bool same = sameId && r.GetProperty("category_id").GetInt32() == d.CategoryId && r.GetProperty("score").GetDouble() == d.Score
                            && box.GetArrayLength() == 4 && box[0].GetDouble() == d.X && box[1].GetDouble() == d.Y && box[2].GetDouble() == d.Width && box[3].GetDouble() == d.Height;
                        if (!same) return "submission record " + i + " " + r.GetRawText() + " differs from " + d;
                    }
                    catch (Exception e) when (e is KeyNotFoundException || e is InvalidOperationException || e is FormatException)
                    {
                        return "submission record " + i + " is malformed: " + r.GetRawText();
                    }
                    i++;
                }
                if (i != kept.Count) return "the submission has " + i + " records; " + kept.Count + " fused detections should have been written";
            }
            return null;
        }
    }
}
'@

# Run inside the case runspace: the pipeline under test, with every stream captured.
$script:FuzzPipeline = @'
function Invoke-FuzzPipeline {
    param([string] $Path, [string] $Out, [string] $Method, [string] $ImageInfo, [bool] $ViaPath, [bool] $Stop)
    $Error.Clear()
    $ea = if ($Stop) { 'Stop' } else { 'SilentlyContinue' }
    $imported = $null; $fused = $null; $importErrors = $null; $mergeErrors = $null; $exportErrors = $null; $caught = $null
    $merge = @{ Method = $Method; ErrorAction = $ea; ErrorVariable = 'mergeErrors'; WarningAction = 'SilentlyContinue'; OutVariable = 'fused' }
    if ($ImageInfo) { $merge.ImageInfo = $ImageInfo }
    $export = @{ LiteralPath = $Out; Force = $true; ErrorAction = $ea; ErrorVariable = 'exportErrors'; WarningAction = 'SilentlyContinue' }
    try {
        if ($ViaPath) {
            Merge-Detection -LiteralPath $Path @merge | Export-Submission @export
        }
        else {
            Import-Detection -LiteralPath $Path -ErrorAction $ea -ErrorVariable importErrors -WarningAction SilentlyContinue -OutVariable imported |
                Merge-Detection @merge | Export-Submission @export
        }
    }
    catch { $caught = $_ }
    [pscustomobject]@{
        Imported     = $imported
        Fused        = $fused
        ImportErrors = @($importErrors)
        MergeErrors  = @($mergeErrors)
        ExportErrors = @($exportErrors)
        Caught       = $caught
    }
}
'@

$script:ResultFileProblems = 'FileEmpty', 'NotJson', 'Truncated', 'NotAList', 'RecordNotAnObject', 'NonFiniteNumber', 'TrailingContent', 'RecordTooLarge'
$script:RecordProblems = 'MissingField', 'WrongType', 'BadBox', 'NonFiniteNumber', 'NegativeSize', 'ScoreOutOfRange'
$script:KnownErrorIds = @{
    ImportDetectionCommand  = @($ResultFileProblems | ForEach-Object { "ResultFile$_" }) + @($RecordProblems | ForEach-Object { "SkippedRecords$_" })
    MergeDetectionCommand   = @($ResultFileProblems | ForEach-Object { "ResultFile$_" }) + @($RecordProblems | ForEach-Object { "SkippedRecords$_" }) +
                              'ImageInfoInvalid', 'ImageInfoNotFound', 'ImageNotInImageInfo', 'DetectionWithoutImageId'
    ExportSubmissionCommand = 'NonFiniteDetection', 'DetectionWithoutImageId'
}

function Initialize-FuzzEngine([string] $ModulePath) {
    $engine = Join-Path $ModulePath 'BoxFusion.Engine.dll'
    if (-not ('BoxFusionFuzz.Oracle' -as [type])) {
        Add-Type -Path $engine
        # The engine targets netstandard2.0; the rest resolve against PowerShell's reference assemblies.
        $refs = @($engine, 'netstandard', 'System.Collections', 'System.Linq', 'System.Memory', 'System.Text.Json', 'System.Text.RegularExpressions', 'System.Threading', 'System.Threading.Thread', 'System.Management.Automation')
        Add-Type -TypeDefinition $script:FuzzSource -ReferencedAssemblies $refs -CompilerOptions '-optimize+' -IgnoreWarnings -WarningAction SilentlyContinue
    }
}

function New-FuzzRunspace([string] $ModulePath) {
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $manifest = Join-Path (Resolve-Path $ModulePath).Path 'BoxFusion.psd1'
    $iss.ImportPSModule([string[]] @($manifest))
    $rs = [runspacefactory]::CreateRunspace($iss)
    $rs.ThreadOptions = 'UseCurrentThread' # the thread of BoxFusionFuzz.Runner, a background one
    $rs.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $rs
    $null = $ps.AddScript($script:FuzzPipeline).AddStatement().AddScript('Get-Command Import-Detection, Merge-Detection, Export-Submission -ErrorAction Stop')
    $ran = [BoxFusionFuzz.Runner]::Invoke($ps, 60000)
    $commands = if ($ran.Output) { $ran.Output } else { @() }
    $ps.Dispose()
    if ($commands.Count -ne 3) { throw "The case runspace could not import '$manifest'." }
    $rs
}

# One pipeline run with a time limit. Returns the run's result, or 'hang'.
function Invoke-FuzzRun($State, [hashtable] $Arguments) {
    $ps = [powershell]::Create()
    $ps.Runspace = $State.Runspace
    $null = $ps.AddCommand('Invoke-FuzzPipeline').AddParameters($Arguments)
    $ran = [BoxFusionFuzz.Runner]::Invoke($ps, [int]($State.TimeoutSeconds * 1000))
    if ($ran.TimedOut) {
        # Leave the stuck thread behind with its runspace; the next case gets a fresh one.
        $State.Runspace = New-FuzzRunspace $State.ModulePath
        return 'hang'
    }
    $ps.Dispose()
    if ($ran.Error) { return [pscustomobject]@{ Broken = "the case runner failed: $($ran.Error.GetType().FullName): $($ran.Error.Message)" } }
    if ($ran.Output.Count -ne 1) { return [pscustomobject]@{ Broken = "the case runner returned $($ran.Output.Count) objects" } }
    $ran.Output[0]
}

# Every problem with one error record: foreign exceptions, unknown ids, missing category/target/position.
function Test-FuzzError($Record, [string] $InputPath, [string] $GtPath, [long] $InputLength, [System.Collections.Generic.List[string]] $Problems) {
    if ($Record -is [System.Management.Automation.IContainsErrorRecord] -and $Record -isnot [System.Management.Automation.ErrorRecord]) {
        $Record = $Record.ErrorRecord # -ErrorVariable holds a terminating error as its exception
    }
    if ($Record -isnot [System.Management.Automation.ErrorRecord]) {
        $Problems.Add("not an ErrorRecord: a $($Record.GetType().FullName): $Record")
        return
    }
    $id = $Record.FullyQualifiedErrorId
    $exception = $Record.Exception
    $type = $exception.GetType().FullName
    if ($type -notin 'BoxFusion.Commands.BoxFusionException', 'BoxFusion.Json.ResultFileException') {
        $Problems.Add("foreign exception $type ($id): $($exception.Message)")
        return
    }
    if ($id -notmatch '^(\w+),BoxFusion\.Commands\.(\w+)$' -or $Matches[2] -notin $script:KnownErrorIds.Keys -or $Matches[1] -notin $script:KnownErrorIds[$Matches[2]]) {
        $Problems.Add("unknown ErrorId '$id': $($exception.Message)")
        return
    }
    $errorId = $Matches[1]
    $message = "$exception"
    if ($errorId -like 'ResultFile*' -or $errorId -like 'SkippedRecords*') {
        if ($Record.CategoryInfo.Category -ne 'InvalidData') { $Problems.Add("$errorId has category $($Record.CategoryInfo.Category)") }
        if ($Record.TargetObject -ne $InputPath) { $Problems.Add("$errorId has target '$($Record.TargetObject)'") }
        if (-not $message.Contains($InputPath)) { $Problems.Add("$errorId message does not name the file: $message") }
    }
    if ($errorId -like 'ResultFile*') {
        if ($message -notmatch '\((?:record \d+, )?byte (\d+)\)') { $Problems.Add("$errorId message has no byte position: $message") }
        elseif ([long]$Matches[1] -gt $InputLength) { $Problems.Add("$errorId byte position $($Matches[1]) is past the end ($InputLength): $message") }
    }
    if ($errorId -like 'SkippedRecords*' -and $message -notmatch '\d+ records? skipped \(\w+\); first: record \d+: ') {
        $Problems.Add("$errorId message lacks the count or the first record: $message")
    }
    if ($errorId -eq 'ImageInfoInvalid') {
        if ($Record.CategoryInfo.Category -ne 'InvalidData') { $Problems.Add("$errorId has category $($Record.CategoryInfo.Category)") }
        if ($Record.TargetObject -ne $GtPath) { $Problems.Add("$errorId has target '$($Record.TargetObject)'") }
        if (-not $message.Contains($GtPath)) { $Problems.Add("$errorId message does not name the file: $message") }
    }
}

function ConvertTo-FuzzErrorId($Record) {
    if ($Record -is [System.Management.Automation.IContainsErrorRecord] -and $Record -isnot [System.Management.Automation.ErrorRecord]) { $Record = $Record.ErrorRecord }
    if ($Record -is [System.Management.Automation.ErrorRecord]) { ($Record.FullyQualifiedErrorId -split ',')[0] } else { "($($Record.GetType().Name))" }
}

<#
.SYNOPSIS
    Runs the fuzz cases; returns a summary (Cases, Failures, Hangs, Seconds, ErrorIds histogram, Slowest).
#>
function Invoke-BoxFusionFuzz {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $ModulePath,
        [int] $Cases = 2000,
        [int] $Seed = 20250101,
        [double] $TimeoutSeconds = 10,
        [int[]] $Only,
        [string] $FailureFolder,
        [string] $WorkFolder,
        [switch] $ShowProgress
    )
    Set-StrictMode -Version 3.0
    Initialize-FuzzEngine $ModulePath
    if (-not $WorkFolder) {
        # A RAM disk where there is one: Export-Submission flushes each file to disk, which costs more than the rest of a case.
        $temp = if (Test-Path /dev/shm) { '/dev/shm' } else { [System.IO.Path]::GetTempPath() }
        $WorkFolder = Join-Path $temp ('boxfusion-fuzz-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $pipelineClock = [System.Diagnostics.Stopwatch]::new()
    $null = New-Item -ItemType Directory -Force $WorkFolder, (Join-Path $WorkFolder 'out')
    $fixtures = foreach ($case in 'case-a', 'case-b') {
        $dir = Join-Path $script:FuzzDataRoot $case
        $gt = Join-Path $dir 'gt.json'
        foreach ($model in Get-ChildItem $dir -Filter 'model*.json' | Sort-Object Name) {
            [pscustomobject]@{ Name = "$case/$($model.Name)"; Path = $model.FullName; Bytes = [System.IO.File]::ReadAllBytes($model.FullName); Gt = $gt; GtBytes = [System.IO.File]::ReadAllBytes($gt) }
        }
    }
    $state = [pscustomobject]@{ Runspace = (New-FuzzRunspace $ModulePath); ModulePath = $ModulePath; TimeoutSeconds = $TimeoutSeconds }
    $methods = 'WBF', 'WBF', 'WBF', 'NMS', 'SoftNMS', 'NMW'
    $failures = [System.Collections.Generic.List[object]]::new()
    $histogram = @{}
    $hangs = 0
    $slowest = [pscustomobject]@{ Case = -1; Ms = 0 }
    $caseNumbers = if ($Only) { $Only } else { 1..$Cases }
    $done = 0
    try {
        foreach ($n in $caseNumbers) {
            # Each case has its own generator, so any one can be replayed with -Only.
            $rng = [System.Random]::new([int](([long]$Seed * 1000003 + $n) % [int]::MaxValue))
            $fixture = $fixtures[$rng.Next($fixtures.Count)]
            $target = $rng.Next(100)
            $mutateGt = $target -lt 12
            $source = if ($mutateGt) { $fixture.GtBytes } else { [BoxFusionFuzz.Mutator]::Slice($fixture.Bytes, $rng) }
            $mutant = [BoxFusionFuzz.Mutator]::Mutate($source, $rng)
            $method = $methods[$rng.Next($methods.Count)]
            $viaPath = $rng.Next(100) -lt 15
            $stopToo = $rng.Next(4) -eq 0
            $useGt = $mutateGt -or $rng.Next(4) -eq 0

            $inputPath = Join-Path $WorkFolder 'detections.json'
            $gtPath = Join-Path $WorkFolder 'gt.json'
            $outFolder = Join-Path $WorkFolder 'out'
            $outPath = Join-Path $outFolder 'submission.json'
            if ($mutateGt) {
                [System.IO.File]::WriteAllBytes($inputPath, $fixture.Bytes)
                [System.IO.File]::WriteAllBytes($gtPath, $mutant.Data)
            }
            else {
                [System.IO.File]::WriteAllBytes($inputPath, $mutant.Data)
                if ($useGt) { [System.IO.File]::WriteAllBytes($gtPath, $fixture.GtBytes) }
            }
            $inputLength = [System.IO.FileInfo]::new($inputPath).Length
            $problems = [System.Collections.Generic.List[string]]::new()
            $arguments = @{ Path = $inputPath; Out = $outPath; Method = $method; ImageInfo = $(if ($useGt) { $gtPath } else { '' }); ViaPath = $viaPath; Stop = $false }

            $ids = [System.Collections.Generic.HashSet[string]]::new()
            $caseClock = [System.Diagnostics.Stopwatch]::StartNew()
            [System.IO.File]::Delete($outPath)
            $pipelineClock.Start()
            $run = Invoke-FuzzRun $state $arguments
            $pipelineClock.Stop()
            if ($run -eq 'hang') { $hangs++; $problems.Add("hang: no result within $TimeoutSeconds s") }
            elseif ($run.PSObject.Properties['Broken']) { $problems.Add($run.Broken) }
            else {
                $errors = @($run.ImportErrors) + @($run.MergeErrors) + @($run.ExportErrors) | Where-Object { $null -ne $_ }
                $caught = $run.Caught
                foreach ($e in @($errors) + @($caught | Where-Object { $null -ne $_ })) {
                    Test-FuzzError $e $inputPath $gtPath $inputLength $problems
                    $null = $ids.Add((ConvertTo-FuzzErrorId $e))
                }
                $fileErrors = @($errors | Where-Object { (ConvertTo-FuzzErrorId $_) -like 'ResultFile*' })
                if ($caught -and (ConvertTo-FuzzErrorId $caught) -notin 'ImageInfoInvalid', 'ImageInfoNotFound') {
                    $problems.Add("the pipeline stopped without -ErrorAction Stop: $($caught.FullyQualifiedErrorId): $($caught.Exception.Message)")
                }
                if ($fileErrors.Count -gt 1) { $problems.Add("$($fileErrors.Count) file errors for one file") }

                if ($mutateGt) {
                    if (-not [BoxFusionFuzz.Oracle]::IsJson($mutant.Data) -and -not $ids.Contains('ImageInfoInvalid')) {
                        $problems.Add("an -ImageInfo file that is not JSON was accepted")
                    }
                }
                else {
                    # The independent reading of the same bytes.
                    $expect = [BoxFusionFuzz.Oracle]::Classify($mutant.Data, $mutant.StrictPrefix)
                    if ($expect.FileError) {
                        if ($fileErrors.Count -eq 0) { $problems.Add("no file error; expected $expect") }
                        elseif ($expect.FileProblem -and (ConvertTo-FuzzErrorId $fileErrors[0]) -ne "ResultFile$($expect.FileProblem)") {
                            $problems.Add("got $(ConvertTo-FuzzErrorId $fileErrors[0]); expected $expect; message: $($fileErrors[0].Exception.Message)")
                        }
                    }
                    else {
                        if ($fileErrors.Count -gt 0) { $problems.Add("file error $(ConvertTo-FuzzErrorId $fileErrors[0]) ($($fileErrors[0].Exception.Message)); expected $expect") }
                        $skipped = @{}
                        foreach ($e in $errors | Where-Object { (ConvertTo-FuzzErrorId $_) -like 'SkippedRecords*' }) {
                            if ("$($e.Exception.Message)" -match ': (\d+) records? skipped \((\w+)\)') { $skipped[$Matches[2]] = [long]$Matches[1] }
                        }
                        foreach ($kind in @($expect.Skipped.Keys) + @($skipped.Keys) | Select-Object -Unique) {
                            $want = if ($expect.Skipped.ContainsKey($kind)) { $expect.Skipped[$kind] } else { 0 }
                            $got = if ($skipped.ContainsKey($kind)) { $skipped[$kind] } else { 0 }
                            if ($want -ne $got) { $problems.Add("$got records skipped for $kind; expected $want ($expect)") }
                        }
                        if (-not $viaPath -and -not $caught) {
                            $difference = [BoxFusionFuzz.Oracle]::CompareImported($expect, $run.Imported)
                            if ($difference) { $problems.Add($difference) }
                        }
                    }
                }
                # The submission: written exactly when the pipeline completed, and then exactly the fused detections.
                $leftovers = @([System.IO.Directory]::GetFiles($outFolder) | Where-Object { $_ -ne $outPath })
                if ($leftovers) { $problems.Add("left behind: $($leftovers -join ', ')") }
                if ($caught) {
                    if ([System.IO.File]::Exists($outPath)) { $problems.Add('a submission was written although the pipeline stopped') }
                }
                elseif (-not [System.IO.File]::Exists($outPath)) { $problems.Add('no submission was written') }
                else {
                    $difference = [BoxFusionFuzz.Oracle]::CompareSubmission([System.IO.File]::ReadAllBytes($outPath), $run.Fused)
                    if ($difference) { $problems.Add($difference) }
                }

                # -ErrorAction Stop: the first error must stop the pipeline; no error, no stop.
                if ($stopToo) {
                    $arguments.Stop = $true
                    [System.IO.File]::Delete($outPath)
                    $pipelineClock.Start()
                    $strict = Invoke-FuzzRun $state $arguments
                    $pipelineClock.Stop()
                    if ($strict -eq 'hang') { $hangs++; $problems.Add("hang with -ErrorAction Stop: no result within $TimeoutSeconds s") }
                    elseif ($strict.PSObject.Properties['Broken']) { $problems.Add($strict.Broken) }
                    elseif ($ids.Count -gt 0 -and -not $strict.Caught) { $problems.Add("with -ErrorAction Stop the pipeline went on despite $($ids -join ', ')") }
                    elseif ($ids.Count -eq 0 -and $strict.Caught) { $problems.Add("with -ErrorAction Stop the pipeline stopped ($($strict.Caught.FullyQualifiedErrorId)) but without it there was no error") }
                    elseif ($strict.Caught) {
                        Test-FuzzError $strict.Caught $inputPath $gtPath $inputLength $problems
                        if ((ConvertTo-FuzzErrorId $strict.Caught) -notin $ids) { $problems.Add("with -ErrorAction Stop it stopped on $($strict.Caught.FullyQualifiedErrorId), not one of $($ids -join ', ')") }
                    }
                }
            }
            $ms = $caseClock.ElapsedMilliseconds
            if ($ms -gt $slowest.Ms) { $slowest = [pscustomobject]@{ Case = $n; Ms = $ms } }
            if ($ids.Count -eq 0) { $null = $ids.Add('(no error)') }
            foreach ($id in $ids) { $histogram[$id] = 1 + $(if ($histogram.ContainsKey($id)) { $histogram[$id] } else { 0 }) }

            if ($problems.Count -gt 0) {
                $kept = $null
                if ($FailureFolder) {
                    $null = New-Item -ItemType Directory -Force $FailureFolder
                    $kept = Join-Path $FailureFolder ("case-$n" + $(if ($mutateGt) { '-gt' } else { '' }) + '.json')
                    [System.IO.File]::WriteAllBytes($kept, $mutant.Data)
                }
                $failures.Add([pscustomobject]@{
                        Case = $n; Fixture = $fixture.Name; Target = $(if ($mutateGt) { '-ImageInfo' } else { 'results' }); Mutation = $mutant.Description
                        Method = $method; ViaPath = $viaPath; ImageInfo = $useGt; Problems = @($problems); Kept = $kept
                    })
            }
            $done++
            if ($ShowProgress -and $done % 500 -eq 0) { Write-Host ("  {0} cases, {1} failures, {2:n0} s" -f $done, $failures.Count, $clock.Elapsed.TotalSeconds) }
        }
    }
    finally {
        $state.Runspace.Dispose()
        Remove-Item -LiteralPath $WorkFolder -Recurse -Force -ErrorAction Ignore
    }
    [pscustomobject]@{
        Cases    = $done
        Seed     = $Seed
        Failures = $failures
        Hangs    = $hangs
        Seconds  = [math]::Round($clock.Elapsed.TotalSeconds, 1)
        PipelineSeconds = [math]::Round($pipelineClock.Elapsed.TotalSeconds, 1)
        Slowest  = $slowest
        ErrorIds = $histogram
    }
}

function Format-FuzzSummary($Summary) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add(("Fuzz: {0} cases (seed {1}) in {2} s ({3} s in the pipelines under test); slowest case {4} took {5} ms." -f
        $Summary.Cases, $Summary.Seed, $Summary.Seconds, $Summary.PipelineSeconds, $Summary.Slowest.Case, $Summary.Slowest.Ms))
    $lines.Add('Outcomes (cases with each ErrorId):')
    foreach ($p in $Summary.ErrorIds.GetEnumerator() | Sort-Object Value -Descending) { $lines.Add(("  {0,6}  {1}" -f $p.Value, $p.Key)) }
    $lines.Add(("Failures: {0} (hangs: {1})" -f $Summary.Failures.Count, $Summary.Hangs))
    foreach ($f in $Summary.Failures | Select-Object -First 40) {
        $lines.Add(("  case {0}: {1} {2} [{3}] -Method {4}{5}{6}" -f $f.Case, $f.Fixture, $f.Target, $f.Mutation, $f.Method, $(if ($f.ViaPath) { ' via -LiteralPath' } else { '' }), $(if ($f.ImageInfo) { ' -ImageInfo' } else { '' })))
        foreach ($p in $f.Problems | Select-Object -First 4) { $lines.Add("      $p") }
        if ($f.Kept) { $lines.Add("      input kept: $($f.Kept)") }
    }
    $lines -join [Environment]::NewLine
}

if ($MyInvocation.InvocationName -ne '.') {
    Set-StrictMode -Version 3.0
    $onlyCases = @($Only | ForEach-Object { $_ -split ',' } | Where-Object { $_ } | ForEach-Object { [int]$_ })
    $summary = Invoke-BoxFusionFuzz -ModulePath $ModulePath -Cases $Cases -Seed $Seed -TimeoutSeconds $TimeoutSeconds -Only $onlyCases -FailureFolder $FailureFolder -ShowProgress
    $text = Format-FuzzSummary $summary
    Write-Host $text
    if ($SummaryPath) {
        [ordered]@{
            Cases = $summary.Cases; Seed = $summary.Seed; Seconds = $summary.Seconds; Hangs = $summary.Hangs
            Failures = @($summary.Failures | ForEach-Object { "case $($_.Case) ($($_.Fixture), $($_.Mutation)): $($_.Problems -join ' | ')" })
            ErrorIds = $summary.ErrorIds; Text = $text
        } | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $SummaryPath -Encoding utf8
    }
    if ($summary.Hangs -gt 0) { [Environment]::Exit(1) } # a hung case still holds its thread: leave without waiting for it
    if ($summary.Failures.Count -gt 0) { exit 1 }
    exit 0
}
