using System;

namespace BoxFusion.Json
{
    // The fast path's segmentation: the compressed RLE object mmdetection and detectron2 write.
    internal static partial class FastRecordParser
    {
        /// <summary>
        /// <c>{"size": [h, w], "counts": "..."}</c> in either key order, decoded straight from the buffer.
        /// Anything else (polygons, a list of counts, other keys, escapes other than \\ and \/, a bad mask)
        /// is left to the slow path, which reads it or explains what is wrong.
        /// </summary>
        private static Result CompressedMask(byte[] b, ref int p, int end, SegmentationBuilder builder, out Mask mask)
        {
            mask = null;
            if (b[p] != (byte)'{') return Result.Fallback;
            int q = p + 1;
            long height = 0, width = 0;
            int textStart = -1, textEnd = -1, seen = 0;
            bool escaped = false;
            while (true)
            {
                q = SkipSpace(b, q, end);
                if (q >= end) return Result.NeedMore;
                if (b[q] != (byte)'"') return Result.Fallback;
                int keyStart = ++q;
                while (q < end && b[q] != (byte)'"' && b[q] != (byte)'\\') q++;
                if (q >= end) return Result.NeedMore;
                if (b[q] == (byte)'\\') return Result.Fallback;
                int key = q - keyStart == 4 && Is(b, keyStart, "size") ? 1 : q - keyStart == 6 && Is(b, keyStart, "counts") ? 2 : 0;
                if (key == 0 || (seen & key) != 0) return Result.Fallback;
                seen |= key;
                q = SkipSpace(b, q + 1, end);
                if (q >= end) return Result.NeedMore;
                if (b[q] != (byte)':') return Result.Fallback;
                q = SkipSpace(b, q + 1, end);
                if (q >= end) return Result.NeedMore;
                if (key == 1)
                {
                    if (b[q] != (byte)'[') return Result.Fallback;
                    q = SkipSpace(b, q + 1, end);
                    if (q >= end) return Result.NeedMore;
                    var r = Integer(b, ref q, end, out height);
                    if (r != Result.Parsed) return r;
                    q = SkipSpace(b, q, end);
                    if (q >= end) return Result.NeedMore;
                    if (b[q] != (byte)',') return Result.Fallback;
                    q = SkipSpace(b, q + 1, end);
                    if (q >= end) return Result.NeedMore;
                    r = Integer(b, ref q, end, out width);
                    if (r != Result.Parsed) return r;
                    q = SkipSpace(b, q, end);
                    if (q >= end) return Result.NeedMore;
                    if (b[q] != (byte)']') return Result.Fallback;
                    q++;
                }
                else
                {
                    if (b[q] != (byte)'"') return Result.Fallback;
                    textStart = ++q;
                    if ((seen & 1) != 0 && height > 0 && width > 0 && height <= int.MaxValue && width <= int.MaxValue && height * width <= Mask.MaxPixels)
                    {
                        // The usual order (size, then counts): decode in one pass as the string is scanned.
                        var decoded = RleString.DecodeJson((int)height, (int)width, b, ref q, end, builder.Scratch, out mask);
                        if (decoded == RleString.JsonResult.NeedMore) return Result.NeedMore;
                        if (decoded == RleString.JsonResult.Invalid) return Result.Fallback;
                    }
                    else
                    {
                        while (true)
                        {
                            if (q >= end) return Result.NeedMore;
                            byte c = b[q];
                            if (c == (byte)'"') break;
                            if (c == (byte)'\\')
                            {
                                if (q + 1 >= end) return Result.NeedMore;
                                if (b[q + 1] != (byte)'\\' && b[q + 1] != (byte)'/') return Result.Fallback;
                                escaped = true;
                                q += 2;
                                continue;
                            }
                            if (c < 0x20 || c >= 0x80) return Result.Fallback;
                            q++;
                        }
                        textEnd = q++;
                    }
                }
                q = SkipSpace(b, q, end);
                if (q >= end) return Result.NeedMore;
                if (b[q] == (byte)',') { q++; continue; }
                if (b[q] == (byte)'}') { q++; break; }
                return Result.Fallback;
            }
            if (seen != 3 || height <= 0 || width <= 0 || height > int.MaxValue || width > int.MaxValue || height * width > Mask.MaxPixels) return Result.Fallback;
            if (mask != null)
            {
                p = q;
                return Result.Parsed;
            }
            var text = escaped ? builder.Unescape(b, textStart, textEnd) : new ReadOnlySpan<byte>(b, textStart, textEnd - textStart);
            try
            {
                mask = RleString.Decode((int)height, (int)width, text, builder.Scratch);
            }
            catch (MaskFormatException)
            {
                return Result.Fallback; // the slow path reports it as a skipped record
            }
            p = q;
            return Result.Parsed;
        }
    }
}
