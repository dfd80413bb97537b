using System;
using System.Collections.Generic;
using System.Globalization;

namespace BoxFusion
{
    /// <summary>
    /// Polygon to run lengths, exactly as pycocotools' rleFrPoly rasterises: the corners are put on a grid
    /// five times finer (rounded half up, truncating toward zero like a C cast), each edge is walked one fine
    /// step at a time along its longer axis, and wherever the walk crosses into a new fine column that is a
    /// pixel centre column, the pixel below the crossing starts or ends a run. Sorting those boundary
    /// positions (column-major) gives the runs. Written as a stream over the edge points, so a polygon costs
    /// its perimeter in time and its column crossings in memory.
    /// </summary>
    internal static class PolygonRaster
    {
        private const double Scale = 5;
        /// <summary>Coordinates beyond this (in pixels) are refused: the fine grid must stay within int arithmetic.</summary>
        public const double MaxCoordinate = 1e7;

        public static void CheckCoordinate(double v)
        {
            if (double.IsNaN(v) || double.IsInfinity(v) || Math.Abs(v) > MaxCoordinate)
            {
                throw new MaskFormatException(MaskProblem.PolygonBadCoordinate, string.Format(CultureInfo.InvariantCulture,
                    "polygon coordinate {0} is not a finite number within ±{1}", v, MaxCoordinate));
            }
        }

        public static void CheckPolygon(double[] p, int index)
        {
            if (p.Length % 2 != 0)
                throw new MaskFormatException(MaskProblem.PolygonOddCoordinates, string.Format(CultureInfo.InvariantCulture,
                    "polygon {0} has {1} coordinates, an odd number; it must be x, y pairs", index, p.Length));
            if (p.Length < 6)
                throw new MaskFormatException(MaskProblem.PolygonTooFewPoints, string.Format(CultureInfo.InvariantCulture,
                    "polygon {0} has {1} point{2}; a polygon needs at least 3", index, p.Length / 2, p.Length == 2 ? "" : "s"));
            foreach (double v in p) CheckCoordinate(v);
        }

        /// <summary>Every polygon rasterised, then their union (pycocotools: frPyObjects, then merge).</summary>
        public static Mask Union(double[][] polygons, int height, int width)
        {
            if (polygons.Length == 1) return Rasterize(polygons[0], height, width);
            var parts = new Mask[polygons.Length];
            for (int i = 0; i < parts.Length; i++) parts[i] = Rasterize(polygons[i], height, width);
            return MaskOps.Merge(parts, intersect: false);
        }

        /// <summary>The extent of the points: [x, y, width, height].</summary>
        public static double[] Extent(double[][] polygons)
        {
            double x1 = double.MaxValue, y1 = double.MaxValue, x2 = double.MinValue, y2 = double.MinValue;
            foreach (var p in polygons)
            {
                for (int i = 0; i + 1 < p.Length; i += 2)
                {
                    x1 = Math.Min(x1, p[i]); x2 = Math.Max(x2, p[i]);
                    y1 = Math.Min(y1, p[i + 1]); y2 = Math.Max(y2, p[i + 1]);
                }
            }
            return new[] { x1, y1, x2 - x1, y2 - y1 };
        }

        /// <summary>One polygon [x1, y1, x2, y2, ...] (checked) for an image of height·width pixels.</summary>
        public static Mask Rasterize(double[] xy, int height, int width)
        {
            int k = xy.Length / 2;
            var gx = new int[k + 1];
            var gy = new int[k + 1];
            for (int j = 0; j < k; j++)
            {
                gx[j] = (int)(Scale * xy[2 * j] + .5);
                gy[j] = (int)(Scale * xy[2 * j + 1] + .5);
            }
            gx[k] = gx[0];
            gy[k] = gy[0];
            var walk = new BoundaryWalk(height, width);
            for (int j = 0; j < k; j++) walk.Edge(gx[j], gy[j], gx[j + 1], gy[j + 1]);
            return walk.ToMask();
        }

        /// <summary>Collects the run boundaries while the edges are walked point by point.</summary>
        private sealed class BoundaryWalk
        {
            private readonly int height, width;
            private readonly List<uint> boundaries = new List<uint>();
            private bool started;
            private int lastU, lastV;

            public BoundaryWalk(int height, int width)
            {
                this.height = height;
                this.width = width;
            }

            /// <summary>The fine points of one edge, from its start to its end inclusive, as pycocotools lists them.</summary>
            public void Edge(int xs, int ys, int xe, int ye)
            {
                int dx = Math.Abs(xe - xs), dy = Math.Abs(ys - ye);
                bool alongX = dx >= dy;
                // Walk from the lower end of the longer axis, so rounding is the same whichever way the edge points.
                bool flip = (alongX && xs > xe) || (!alongX && ys > ye);
                if (flip)
                {
                    int t = xs; xs = xe; xe = t;
                    t = ys; ys = ye; ye = t;
                }
                if (alongX)
                {
                    // A zero-length edge (repeated corner) has one point; its slope never matters.
                    double slope = dx == 0 ? 0 : (double)(ye - ys) / dx;
                    for (int d = 0; d <= dx; d++)
                    {
                        int t = flip ? dx - d : d;
                        Point(t + xs, (int)(ys + slope * t + .5));
                    }
                }
                else
                {
                    double slope = (double)(xe - xs) / dy;
                    for (int d = 0; d <= dy; d++)
                    {
                        int t = flip ? dy - d : d;
                        Point((int)(xs + slope * t + .5), t + ys);
                    }
                }
            }

            /// <summary>
            /// A step into another fine column: when that column is a pixel centre inside the image, the first
            /// pixel at or below the step (clamped to 0..height) is a run boundary in that pixel column.
            /// </summary>
            private void Point(int u, int v)
            {
                if (started && u != lastU)
                {
                    double xd = u < lastU ? u : u - 1;
                    xd = (xd + .5) / Scale - .5;
                    if (Math.Floor(xd) == xd && xd >= 0 && xd <= width - 1)
                    {
                        double yd = v < lastV ? v : lastV;
                        yd = (yd + .5) / Scale - .5;
                        if (yd < 0) yd = 0;
                        else if (yd > height) yd = height;
                        yd = Math.Ceiling(yd);
                        boundaries.Add((uint)xd * (uint)height + (uint)yd);
                    }
                }
                started = true;
                lastU = u;
                lastV = v;
            }

            /// <summary>Sorted boundaries become run lengths; a zero-length run folds its successor into the run before it.</summary>
            public Mask ToMask()
            {
                uint pixels = (uint)((long)height * width);
                boundaries.Add(pixels);
                var a = boundaries.ToArray();
                Array.Sort(a);
                uint previous = 0;
                for (int j = 0; j < a.Length; j++)
                {
                    uint t = a[j];
                    a[j] -= previous;
                    previous = t;
                }
                var runs = new uint[a.Length];
                int m = 0, i = 0;
                runs[m++] = a[i++];
                while (i < a.Length)
                {
                    if (a[i] > 0) runs[m++] = a[i++];
                    else
                    {
                        // Two boundaries at one pixel cancel: skip the empty run and extend the previous one.
                        i++;
                        if (i < a.Length) runs[m - 1] += a[i++];
                    }
                }
                long area = 0;
                for (int j = 1; j < m; j += 2) area += runs[j];
                if (m < runs.Length) Array.Resize(ref runs, m);
                return new Mask(height, width, runs, area);
            }
        }
    }
}
