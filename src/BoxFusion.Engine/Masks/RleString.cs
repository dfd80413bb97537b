using System;
using System.Globalization;

namespace BoxFusion
{
    /// <summary>A growable run-length buffer, reused from mask to mask by one reader or one thread.</summary>
    internal sealed class RleScratch
    {
        public uint[] Runs = new uint[256];

        public void Grow() => Array.Resize(ref Runs, Runs.Length * 2);
    }

    /// <summary>
    /// pycocotools' compressed RLE strings. Each run length is written as a signed number in groups of
    /// 5 bits, lowest first, one character per group (character = 48 + bits, plus 32 when another group
    /// follows; bit 16 of the last group is the sign). From the fourth run on, the number written is the
    /// difference from the run two places back (same-kind runs tend to be alike), which keeps strings short.
    /// </summary>
    internal static partial class RleString
    {
        /// <summary>Characters per number: 7 groups of 5 bits hold any 32-bit run length or difference with its sign.</summary>
        private const int MaxGroups = 7;

        public static string Encode(uint[] counts)
        {
            var bytes = new byte[counts.Length * MaxGroups];
            int n = Write(counts, bytes, 0, escape: false);
            return System.Text.Encoding.ASCII.GetString(bytes, 0, n);
        }

        /// <summary>Writes the characters as the inside of a JSON string (its one special character, '\\', escaped); returns the new position.</summary>
        public static int EncodeJson(uint[] counts, byte[] into, int p) => Write(counts, into, p, escape: true);

        private static int Write(uint[] counts, byte[] into, int p, bool escape)
        {
            for (int i = 0; i < counts.Length; i++)
            {
                long value = counts[i];
                if (i > 2) value -= counts[i - 2];
                while (true)
                {
                    int group = (int)(value & 0x1f);
                    value >>= 5;
                    // Stop once the rest is all sign: 0 for a non-negative number, -1 for a negative one (bit 16 tells which).
                    bool more = (group & 0x10) != 0 ? value != -1 : value != 0;
                    if (more) group |= 0x20;
                    byte c = (byte)(group + 48);
                    if (escape && c == (byte)'\\') into[p++] = c;
                    into[p++] = c;
                    if (!more) break;
                }
            }
            return p;
        }

        /// <summary>Decodes ASCII characters (already unescaped from JSON) into a checked mask of the given size.</summary>
        public static Mask Decode(int height, int width, ReadOnlySpan<byte> text, RleScratch scratch)
        {
            long pixels = (long)height * width;
            var runs = scratch.Runs;
            int m = 0;
            long sum = 0, area = 0;
            int p = 0;
            while (p < text.Length)
            {
                long value = 0;
                int groups = 0;
                while (true)
                {
                    if (p >= text.Length)
                        throw new MaskFormatException(MaskProblem.BadString, string.Format(CultureInfo.InvariantCulture,
                            "the compressed counts string ends in the middle of a number (character {0})", p));
                    int c = text[p] - 48;
                    if (c < 0 || c > 63) throw BadCharacter((char)text[p], p);
                    if (groups == MaxGroups)
                        throw new MaskFormatException(MaskProblem.BadString, string.Format(CultureInfo.InvariantCulture,
                            "the compressed counts string holds a number longer than {0} characters (at character {1})", MaxGroups, p));
                    value |= (long)(c & 0x1f) << (5 * groups);
                    p++;
                    groups++;
                    if ((c & 0x20) == 0)
                    {
                        if ((c & 0x10) != 0) value |= -1L << (5 * groups); // negative: extend the sign
                        break;
                    }
                }
                if (m > 2) value += runs[m - 2];
                if (value < 0 || value > pixels)
                    throw new MaskFormatException(MaskProblem.BadString, string.Format(CultureInfo.InvariantCulture,
                        "the compressed counts string gives run {0} the length {1}, outside 0..{2} (height·width)", m, value, pixels));
                if (m == runs.Length) { scratch.Grow(); runs = scratch.Runs; }
                runs[m] = (uint)value;
                sum += value;
                if ((m & 1) == 1) area += value;
                m++;
            }
            if (sum != pixels) throw Mask.CountsMismatch(height, width, sum);
            var counts = new uint[m];
            Array.Copy(runs, counts, m);
            return new Mask(height, width, counts, area);
        }

        public static MaskFormatException BadCharacter(char c, int at) =>
            new MaskFormatException(MaskProblem.BadString, string.Format(CultureInfo.InvariantCulture,
                "the compressed counts string holds '{0}' (U+{1:X4}) at character {2}; it uses only the characters '0' to 'o'",
                char.IsControl(c) ? '?' : c, (int)c, at));
    }
}
