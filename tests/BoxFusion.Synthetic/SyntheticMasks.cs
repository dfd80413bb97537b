using System;

namespace BoxFusion.Synthetic
{
    /// <summary>
    /// Instance masks for the synthetic ensemble: each object or detection is a wobbly ellipse filling its box.
    /// The wobble's phase depends on where the box is (its centre, coarsely), so a detection of an object gets
    /// about the object's shape, and its mask IoU follows its box IoU, as with real instance models.
    /// </summary>
    internal static class SyntheticMasks
    {
        /// <summary>Images with masks are at most this large (the common COCO sizes).</summary>
        public const int MaxPixels = 640 * 480;

        /// <summary>Polygon corners in hundredths of a pixel (x, y, x, y, ...), for a box given in hundredths.</summary>
        public static long[] Outline(long x, long y, long w, long h)
        {
            double cx = (x + w / 2.0) / 100, cy = (y + h / 2.0) / 100, rx = w / 200.0, ry = h / 200.0;
            // Phase from the centre on a 24-pixel grid: boxes of one object mostly share it.
            ulong cell = (ulong)(long)Math.Floor(cx / 24) * 0x9E3779B97F4A7C15UL ^ (ulong)(long)Math.Floor(cy / 24) * 0xC2B2AE3D27D4EB4FUL;
            double phase1 = (cell >> 11) % 6283 / 1000.0, phase2 = (cell >> 29) % 6283 / 1000.0;
            int corners = Math.Max(8, Math.Min(32, (int)((rx + ry) / 4)));
            var xy = new long[2 * corners];
            for (int k = 0; k < corners; k++)
            {
                double t = TwoPi * k / corners;
                double r = 0.9 + 0.07 * Sin(3 * t + phase1) + 0.03 * Sin(5 * t + phase2 + TwoPi / 4);
                xy[2 * k] = (long)Math.Round((cx + rx * r * Sin(t + TwoPi / 4)) * 100);
                xy[2 * k + 1] = (long)Math.Round((cy + ry * r * Sin(t)) * 100);
            }
            return xy;
        }

        private const double TwoPi = 6.283185307179586;

        /// <summary>
        /// Sine from + - * / only (Taylor series after reducing to [-pi, pi]), so the files are the same on every
        /// machine: Math.Sin may differ in the last bit between runtimes and CPUs.
        /// </summary>
        private static double Sin(double x)
        {
            x -= TwoPi * Math.Floor(x / TwoPi + 0.5);
            double x2 = x * x, term = 1;
            for (int n = 23; n >= 3; n -= 2) term = 1 - term * x2 / (n * (n - 1));
            return x * term;
        }

        /// <summary>The outline as the doubles a reader of the written text gets (hundredths / 100 is correctly rounded).</summary>
        public static double[] Pixels(long[] hundredths)
        {
            var p = new double[hundredths.Length];
            for (int i = 0; i < p.Length; i++) p[i] = hundredths[i] / 100.0;
            return p;
        }

        /// <summary>The mask of a box's outline on its image.</summary>
        public static Mask Rasterize(long x, long y, long w, long h, int imageHeight, int imageWidth) =>
            Rasterize(Outline(x, y, w, h), imageHeight, imageWidth);

        /// <summary>An outline (hundredths of a pixel) rasterised on its image, as a reader of the written polygon would.</summary>
        public static Mask Rasterize(long[] outline, int imageHeight, int imageWidth) =>
            Mask.FromPolygons(new[] { Pixels(outline) }, imageHeight, imageWidth);

        public static void WritePolygon(AsciiBuffer buffer, long[] hundredths)
        {
            buffer.Write(", \"segmentation\": [[");
            for (int i = 0; i < hundredths.Length; i++)
            {
                if (i > 0) buffer.Write(", ");
                buffer.WriteFixed(hundredths[i], 2);
            }
            buffer.Write("]]");
        }

        public static void WriteCounts(AsciiBuffer buffer, Mask mask)
        {
            buffer.Write(", \"segmentation\": {\"size\": [");
            buffer.WriteInteger(mask.Height);
            buffer.Write(", ");
            buffer.WriteInteger(mask.Width);
            buffer.Write("], \"counts\": [");
            var counts = mask.GetCounts();
            for (int i = 0; i < counts.Length; i++)
            {
                if (i > 0) buffer.Write(", ");
                buffer.WriteInteger(counts[i]);
            }
            buffer.Write("]}");
        }

        public static void WriteCompressed(AsciiBuffer buffer, Mask mask)
        {
            buffer.Write(", \"segmentation\": {\"size\": [");
            buffer.WriteInteger(mask.Height);
            buffer.Write(", ");
            buffer.WriteInteger(mask.Width);
            buffer.Write("], \"counts\": \"");
            buffer.Write(mask.ToCompressedString().Replace("\\", "\\\\"));
            buffer.Write("\"}");
        }
    }
}
