using System;

namespace BoxFusion.Json
{
    // A record's segmentation, as the COCO segm results format (mmdetection, detectron2) has it.
    public sealed partial class CocoResultWriter
    {
        /// <summary>
        /// <c>,"segmentation":{"size":[h,w],"counts":"..."}</c> with pycocotools' compressed string (its '\' escaped
        /// for JSON), so reading the file back gives the same run lengths; polygons not yet rasterised are written as given.
        /// </summary>
        private static int FormatMask(Mask mask, ref byte[] b, int p)
        {
            if (mask.IsPolygon) return FormatPolygons(mask.PolygonData, ref b, p);
            var counts = mask.Counts;
            // Up to 7 characters per run, each at most 2 bytes once escaped, plus the fixed text.
            long need = 14L * counts.Length + 128;
            if (b.Length - p < need) Grow(ref b, p, Math.Max(b.Length * 2L, p + need + 512));
            p = Ascii(b, p, ",\"segmentation\":{\"size\":[");
            p = Number(b, p, (long)mask.Height);
            b[p++] = (byte)',';
            p = Number(b, p, (long)mask.Width);
            p = Ascii(b, p, "],\"counts\":\"");
            p = RleString.EncodeJson(counts, b, p);
            return Ascii(b, p, "\"}");
        }

        private static int FormatPolygons(double[][] polygons, ref byte[] b, int p)
        {
            long points = 0;
            foreach (var poly in polygons) points += poly.Length;
            long need = 34L * points + 8L * polygons.Length + 64;
            if (b.Length - p < need) Grow(ref b, p, Math.Max(b.Length * 2L, p + need + 512));
            p = Ascii(b, p, ",\"segmentation\":[");
            for (int i = 0; i < polygons.Length; i++)
            {
                if (i > 0) b[p++] = (byte)',';
                b[p++] = (byte)'[';
                for (int j = 0; j < polygons[i].Length; j++)
                {
                    if (j > 0) b[p++] = (byte)',';
                    p = Number(b, p, polygons[i][j]);
                }
                b[p++] = (byte)']';
            }
            b[p++] = (byte)']';
            return p;
        }
    }
}
