using System;
using System.Collections.Generic;

namespace BoxFusion
{
    /// <summary>
    /// Collects the parts of a JSON <c>segmentation</c> as a reader meets them (size, counts as a string or a
    /// list, polygons) and turns them into a checked <see cref="Mask"/>. Reused from record to record.
    /// </summary>
    internal sealed class SegmentationBuilder
    {
        private readonly RleScratch scratch = new RleScratch();
        private readonly List<long> countList = new List<long>();
        private readonly List<double[]> polygons = new List<double[]>();
        private readonly List<double> points = new List<double>();
        private byte[] text = new byte[1024];
        private int textLength;
        private int height = -1, width = -1;
        private bool hasText, hasList, hasSize;

        public RleScratch Scratch => scratch;

        public void Reset()
        {
            countList.Clear();
            polygons.Clear();
            points.Clear();
            textLength = 0;
            height = width = -1;
            hasText = hasList = hasSize = false;
        }

        public void SetSize(int h, int w)
        {
            height = h;
            width = w;
            hasSize = true;
        }

        public void SetText(ReadOnlySpan<byte> ascii)
        {
            if (text.Length < ascii.Length) text = new byte[Math.Max(ascii.Length, text.Length * 2)];
            ascii.CopyTo(text);
            textLength = ascii.Length;
            hasText = true;
            hasList = false;
        }

        /// <summary>A JSON string's bytes with its only escapes, \\ and \/, undone (the fast path lets nothing else through).</summary>
        public ReadOnlySpan<byte> Unescape(byte[] source, int start, int end)
        {
            if (text.Length < end - start) text = new byte[Math.Max(end - start, text.Length * 2)];
            int n = 0;
            for (int i = start; i < end; i++)
            {
                if (source[i] == (byte)'\\') i++;
                text[n++] = source[i];
            }
            return new ReadOnlySpan<byte>(text, 0, n);
        }

        public void StartCountList()
        {
            countList.Clear();
            hasList = true;
            hasText = false;
        }

        public void AddCount(long count) => countList.Add(count);

        public void AddPoint(double v) => points.Add(v);

        public void EndPolygon()
        {
            polygons.Add(points.ToArray());
            points.Clear();
        }

        /// <summary>The RLE object's mask; throws <see cref="MaskFormatException"/> for a missing or bad part.</summary>
        public Mask BuildRle()
        {
            if (!hasSize) throw new MaskFormatException(MaskProblem.BadSize, "the RLE segmentation has no 'size' [height, width]");
            if (!hasText && !hasList) throw new MaskFormatException(MaskProblem.BadString, "the RLE segmentation has no 'counts'");
            Mask.CheckSize(height, width);
            if (hasText) return RleString.Decode(height, width, new ReadOnlySpan<byte>(text, 0, textLength), scratch);
            return Mask.FromCounts(height, width, countList);
        }

        /// <summary>The polygons' mask (unsized: a results file gives no image size).</summary>
        public Mask BuildPolygons()
        {
            if (polygons.Count == 0) throw new MaskFormatException(MaskProblem.PolygonTooFewPoints, "the segmentation is an empty list of polygons");
            var copy = polygons.ToArray();
            for (int i = 0; i < copy.Length; i++) PolygonRaster.CheckPolygon(copy[i], i);
            return Mask.OfCheckedPolygons(copy);
        }
    }
}
