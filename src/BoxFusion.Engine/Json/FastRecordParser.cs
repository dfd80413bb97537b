using System;
using System.Buffers.Text;

namespace BoxFusion.Json
{
    /// <summary>
    /// The fast path of the results reader: parses the common shape of a record,
    /// <c>{"image_id": …, "category_id": …, "bbox": [x, y, w, h], "score": …}</c> (any key order and whitespace),
    /// with or without a compressed-RLE <c>"segmentation"</c>,
    /// straight from UTF-8 bytes. Anything else (escapes, other keys, non-ASCII, odd numbers, bad values,
    /// malformed JSON) is left to the Utf8JsonReader path, which reports it exactly.
    /// </summary>
    internal static partial class FastRecordParser
    {
        public enum Result { Parsed, NeedMore, Fallback }

        private static readonly double[] Pow10 =
        {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        };

        /// <summary>
        /// Tries one record at <paramref name="p"/> (after the list's '[' or, when <paramref name="afterValue"/>, after a record, so a comma comes first).
        /// On Parsed, <paramref name="next"/> is the byte after the record's '}'.
        /// </summary>
        public static Result TryParse(byte[] b, int p, int end, bool afterValue, RecordParser ids, out RecordValues record, out int next)
        {
            record = default;
            next = p;
            p = SkipSpace(b, p, end);
            if (afterValue)
            {
                if (p >= end) return Result.NeedMore;
                if (b[p] != (byte)',') return Result.Fallback;
                p = SkipSpace(b, p + 1, end);
            }
            if (p >= end) return Result.NeedMore;
            if (b[p] != (byte)'{') return Result.Fallback;
            p++;
            object imageId = null;
            long category = 0;
            double score = 0, x = 0, y = 0, w = 0, h = 0;
            int seen = 0;
            Mask mask = null;
            while (true)
            {
                p = SkipSpace(b, p, end);
                if (p >= end) return Result.NeedMore;
                if (b[p] != (byte)'"') return Result.Fallback;
                int keyStart = ++p;
                while (p < end && b[p] != (byte)'"' && b[p] != (byte)'\\') p++;
                if (p >= end) return Result.NeedMore;
                if (b[p] == (byte)'\\') return Result.Fallback;
                int field = Field(b, keyStart, p - keyStart);
                if (field < 0 || (seen & (1 << field)) != 0) return Result.Fallback;
                seen |= 1 << field;
                p = SkipSpace(b, p + 1, end);
                if (p >= end) return Result.NeedMore;
                if (b[p] != (byte)':') return Result.Fallback;
                p = SkipSpace(b, p + 1, end);
                if (p >= end) return Result.NeedMore;
                Result r;
                switch (field)
                {
                    case 0:
                        if (b[p] == (byte)'"')
                        {
                            int s = ++p;
                            while (p < end && b[p] != (byte)'"' && b[p] != (byte)'\\' && b[p] >= 0x20 && b[p] < 0x80) p++;
                            if (p >= end) return Result.NeedMore;
                            if (b[p] != (byte)'"') return Result.Fallback;
                            imageId = ids.InternStringId(b, s, p - s);
                            p++;
                        }
                        else
                        {
                            r = Integer(b, ref p, end, out long id);
                            if (r != Result.Parsed) return r;
                            imageId = ids.InternNumericId(id);
                        }
                        break;
                    case 1:
                        r = Integer(b, ref p, end, out category);
                        if (r != Result.Parsed) return r;
                        if (category < int.MinValue || category > int.MaxValue) return Result.Fallback;
                        break;
                    case 2:
                        if (b[p] != (byte)'[') return Result.Fallback;
                        p++;
                        for (int i = 0; i < 4; i++)
                        {
                            p = SkipSpace(b, p, end);
                            if (p >= end) return Result.NeedMore;
                            r = Number(b, ref p, end, out double v);
                            if (r != Result.Parsed) return r;
                            switch (i) { case 0: x = v; break; case 1: y = v; break; case 2: w = v; break; default: h = v; break; }
                            p = SkipSpace(b, p, end);
                            if (p >= end) return Result.NeedMore;
                            if (b[p] != (byte)(i < 3 ? ',' : ']')) return Result.Fallback;
                            p++;
                        }
                        break;
                    case 3:
                        r = Number(b, ref p, end, out score);
                        if (r != Result.Parsed) return r;
                        break;
                    default:
                        r = CompressedMask(b, ref p, end, ids.Segmentation, out mask);
                        if (r != Result.Parsed) return r;
                        break;
                }
                p = SkipSpace(b, p, end);
                if (p >= end) return Result.NeedMore;
                if (b[p] == (byte)',') { p++; continue; }
                if (b[p] == (byte)'}') { p++; break; }
                return Result.Fallback;
            }
            // Records with anything to report (missing fields, odd values) take the slow path, which explains them.
            const int Required = 0b1011, BoxOrMask = 0b10100;
            if ((seen & Required) != Required || (seen & BoxOrMask) == 0 || score > 1 || !DetectionRules.IsValid(score, x, y, w, h)) return Result.Fallback;
            record.ImageId = imageId;
            record.CategoryId = (int)category;
            record.Score = score;
            record.X = x;
            record.Y = y;
            record.Width = w;
            record.Height = h;
            if (mask != null) MaskRecords.Attach(ref record, mask, hasBox: (seen & 0b100) != 0);
            next = p;
            return Result.Parsed;
        }

        private static int SkipSpace(byte[] b, int p, int end)
        {
            while (p < end)
            {
                byte c = b[p];
                if (c != (byte)' ' && c != (byte)'\n' && c != (byte)'\r' && c != (byte)'\t') break;
                p++;
            }
            return p;
        }

        private static int Field(byte[] b, int s, int n)
        {
            switch (n)
            {
                case 8: return Is(b, s, "image_id") ? 0 : -1;
                case 11: return Is(b, s, "category_id") ? 1 : -1;
                case 4: return Is(b, s, "bbox") ? 2 : -1;
                case 5: return Is(b, s, "score") ? 3 : -1;
                case 12: return Is(b, s, "segmentation") ? 4 : -1;
                default: return -1;
            }
        }

        private static bool Is(byte[] b, int s, string key)
        {
            for (int i = 0; i < key.Length; i++) if (b[s + i] != (byte)key[i]) return false;
            return true;
        }

        /// <summary>A JSON integer (no fraction or exponent), at most 18 digits.</summary>
        private static Result Integer(byte[] b, ref int p, int end, out long value)
        {
            value = 0;
            int q = p;
            bool negative = false;
            if (b[q] == (byte)'-') { negative = true; q++; }
            int digits = q;
            while (q < end && (uint)(b[q] - '0') <= 9) value = value * 10 + (b[q++] - '0');
            if (q >= end) return Result.NeedMore;
            int n = q - digits;
            if (n == 0 || n > 18 || (n > 1 && b[digits] == (byte)'0') || !Delimits(b[q])) return Result.Fallback;
            if (negative) value = -value;
            p = q;
            return Result.Parsed;
        }

        /// <summary>
        /// A JSON number. Exact when the digits fit 2^53 and the power of ten is at most 22 (one correctly
        /// rounded division or multiplication, Clinger's fast path); otherwise the runtime's parser decides.
        /// </summary>
        private static Result Number(byte[] b, ref int p, int end, out double value)
        {
            value = 0;
            int q = p;
            if (q < end && b[q] == (byte)'-') q++;
            // JSON allows a zero only alone before the point ("0.5", never "01"); checked first, as long numbers leave for Slow below.
            if (q + 1 < end && b[q] == (byte)'0' && (uint)(b[q + 1] - '0') <= 9) return Result.Fallback;
            int intStart = q;
            ulong mantissa = 0;
            int significant = 0;
            while (q < end && (uint)(b[q] - '0') <= 9)
            {
                if (significant < 19) { mantissa = mantissa * 10 + (ulong)(b[q] - '0'); if (mantissa != 0) significant++; }
                else return Slow(b, ref p, end, out value);
                q++;
            }
            if (q >= end) return Result.NeedMore;
            int intDigits = q - intStart;
            if (intDigits == 0) return Result.Fallback;
            int scale = 0;
            if (b[q] == (byte)'.')
            {
                int fracStart = ++q;
                while (q < end && (uint)(b[q] - '0') <= 9)
                {
                    if (significant < 19) { mantissa = mantissa * 10 + (ulong)(b[q] - '0'); if (mantissa != 0) significant++; scale--; }
                    else return Slow(b, ref p, end, out value);
                    q++;
                }
                if (q >= end) return Result.NeedMore;
                if (q == fracStart) return Result.Fallback;
            }
            if (b[q] == (byte)'e' || b[q] == (byte)'E') return Slow(b, ref p, end, out value);
            if (!Delimits(b[q])) return Result.Fallback;
            if (mantissa > (1UL << 53) || -scale > 22) return Slow(b, ref p, end, out value);
            value = scale == 0 ? mantissa : mantissa / Pow10[-scale];
            if (b[p] == (byte)'-') value = -value;
            p = q;
            return Result.Parsed;
        }

        /// <summary>Numbers outside the fast path: the runtime's correctly rounded parser, if the token is complete and finite.</summary>
        private static Result Slow(byte[] b, ref int p, int end, out double value)
        {
            value = 0;
            int q = p;
            while (q < end && !Delimits(b[q])) q++;
            if (q >= end) return Result.NeedMore;
            if (!Utf8Parser.TryParse(new ReadOnlySpan<byte>(b, p, q - p), out value, out int used) || used != q - p
                || !Numbers.IsFinite(value)) return Result.Fallback;
            p = q;
            return Result.Parsed;
        }

        private static bool Delimits(byte c) =>
            c == (byte)',' || c == (byte)']' || c == (byte)'}' || c == (byte)' ' || c == (byte)'\n' || c == (byte)'\r' || c == (byte)'\t';
    }
}
