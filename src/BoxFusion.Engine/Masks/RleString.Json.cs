namespace BoxFusion
{
    // Decoding straight out of a JSON document, for the results reader's fast path.
    internal static partial class RleString
    {
        public enum JsonResult { Done, NeedMore, Invalid }

        /// <summary>
        /// Decodes the compressed string that starts at <paramref name="p"/> (just after its opening quote) up to its
        /// closing quote, undoing the one JSON escape its alphabet needs (\\). In one pass, without copying the text.
        /// Anything wrong is <see cref="JsonResult.Invalid"/> without a reason: the caller lets <see cref="Decode"/> explain.
        /// On Done, <paramref name="p"/> is after the closing quote.
        /// </summary>
        public static JsonResult DecodeJson(int height, int width, byte[] b, ref int p, int end, RleScratch scratch, out Mask mask)
        {
            mask = null;
            long pixels = (long)height * width;
            var runs = scratch.Runs;
            int m = 0, q = p;
            long sum = 0, area = 0;
            while (true)
            {
                if (q >= end) return JsonResult.NeedMore;
                if (b[q] == (byte)'"') break;
                long value = 0;
                int groups = 0;
                while (true)
                {
                    if (q >= end) return JsonResult.NeedMore;
                    int c = b[q];
                    if (c == '\\')
                    {
                        if (q + 1 >= end) return JsonResult.NeedMore;
                        if (b[q + 1] != (byte)'\\') return JsonResult.Invalid;
                        q++;
                    }
                    q++;
                    c -= 48;
                    if ((uint)c > 63 || groups == MaxGroups) return JsonResult.Invalid; // also a quote mid-number
                    value |= (long)(c & 0x1f) << (5 * groups);
                    groups++;
                    if ((c & 0x20) == 0)
                    {
                        if ((c & 0x10) != 0) value |= -1L << (5 * groups);
                        break;
                    }
                }
                if (m > 2) value += runs[m - 2];
                if (value < 0 || value > pixels) return JsonResult.Invalid;
                if (m == runs.Length) { scratch.Grow(); runs = scratch.Runs; }
                runs[m] = (uint)value;
                sum += value;
                if ((m & 1) == 1) area += value;
                m++;
            }
            if (sum != pixels) return JsonResult.Invalid;
            var counts = new uint[m];
            System.Array.Copy(runs, counts, m);
            mask = new Mask(height, width, counts, area);
            p = q + 1;
            return JsonResult.Done;
        }
    }
}
