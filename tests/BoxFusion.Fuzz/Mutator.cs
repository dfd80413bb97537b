// The mutation engine, part 1: the Mutant a case runs on, Mutator.Slice and Mutator.Mutate (which picks the kind
// of damage), truncation, byte flips, swapped tokens, deleted fields, extreme and random valid numbers. The
// structural mutations and the tokenizer are the rest of the partial class Mutator, in StructuralMutations.cs.

namespace BoxFusion.Fuzz
{
    public sealed class Mutant
    {
        public byte[] Data { get; set; }
        public string Description { get; set; }
        /// <summary>The file is the original cut short (so an unreadable result must be called a truncation).</summary>
        public bool StrictPrefix { get; set; }
    }

    public static partial class Mutator
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
            return Latin1.GetBytes(string.Concat("[", text.AsSpan(starts[first], end - starts[first]), "]"));
        }

        public static Mutant Mutate(byte[] source, Random rng)
        {
            int kind = rng.Next(100);
            var m = new Mutant();
            if (kind < 18)
            {
                m.Data = Truncate(source, rng, out string truncation);
                m.Description = truncation;
                m.StrictPrefix = true;
                return m;
            }
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
                    return Splice(text, f.Groups[2].Index, f.Groups[2].Index + f.Groups[2].Length, "");
                case 2:
                    notes.Add("deleted the key of '" + field + "' at " + start);
                    return Splice(text, start, f.Groups[2].Index, "");
                case 3:
                    notes.Add("renamed '" + field + "' at " + start);
                    return Splice(text, start + 1, start + 1 + field.Length, field.ToUpperInvariant());
                case 4:
                    notes.Add("set '" + field + "' to null at " + start);
                    return Splice(text, f.Groups[2].Index, f.Groups[2].Index + f.Groups[2].Length, "null");
                case 5:
                    notes.Add("duplicated '" + field + "' at " + start);
                    return Splice(text, end, end, ", " + f.Value);
                default:
                    // The field and one separator next to it, leaving a valid record.
                    while (end < text.Length && (text[end] == ',' || text[end] == ' ')) end++;
                    if (end < text.Length && text[end] == '}')
                    {
                        end = f.Index + f.Length;
                        while (start > 0 && (text[start - 1] == ' ' || text[start - 1] == ',')) start--;
                    }
                    notes.Add("deleted '" + field + "' at " + f.Index);
                    return Splice(text, start, end, "");
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
                text = Splice(text, t.Index, t.Index + t.Length, value);
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
    }
}
