using System;
using System.Collections.Generic;

namespace BoxFusion
{
    /// <summary>
    /// Run-length operations with pycocotools' arithmetic (unsigned 32-bit run lengths, its handling of
    /// empty runs), so areas, boxes and IoUs come out as pycocotools computes them.
    /// </summary>
    /// <summary>A toBbox box, as pycocotools' doubles.</summary>
    internal struct MaskBox
    {
        public double X, Y, W, H;
    }

    internal static class MaskOps
    {
        public static Mask Encode(byte[] bits, int height, int width)
        {
            var runs = new List<uint>();
            bool on = false;
            uint run = 0;
            long area = 0;
            foreach (byte b in bits)
            {
                if ((b != 0) != on)
                {
                    runs.Add(run);
                    run = 0;
                    on = !on;
                }
                run++;
                if (on) area++;
            }
            runs.Add(run);
            return new Mask(height, width, runs.ToArray(), area);
        }

        public static byte[] Decode(Mask mask)
        {
            var bits = new byte[(long)mask.Height * mask.Width];
            long p = 0;
            var counts = mask.Counts;
            for (int j = 0; j < counts.Length; j++)
            {
                if ((j & 1) == 1) for (long k = 0; k < counts[j]; k++) bits[p + k] = 1;
                p += counts[j];
            }
            return bits;
        }

        /// <summary>
        /// pycocotools' toBbox: the first and last pixel of every foreground run set the extent; a run that
        /// spans columns makes the box as tall as the image. A trailing background run is not looked at.
        /// </summary>
        public static void BoundingBox(Mask mask, out uint x, out uint y, out uint w, out uint h)
        {
            var counts = mask.Counts;
            uint height = (uint)mask.Height, width = (uint)mask.Width;
            int m = counts.Length / 2 * 2;
            if (m == 0) { x = y = w = h = 0; return; }
            uint xs = width, ys = height, xe = 0, ye = 0, cc = 0, xp = 0;
            for (int j = 0; j < m; j++)
            {
                cc += counts[j];
                // After a background run: the run's first foreground pixel; after a foreground run: its last one.
                uint t = cc - (uint)(j & 1);
                uint py = t % height, px = (t - py) / height;
                if ((j & 1) == 0) xp = px;
                else if (xp < px) { ys = 0; ye = height - 1; }
                if (px < xs) xs = px;
                if (px > xe) xe = px;
                if (py < ys) ys = py;
                if (py > ye) ye = py;
            }
            x = xs; w = xe - xs + 1;
            y = ys; h = ye - ys + 1;
        }

        /// <summary>
        /// pycocotools' rleIou for one pair: 0 unless the bounding boxes overlap; -1 for masks of different sizes;
        /// else intersection over union, or over the detection's area for a crowd ground truth.
        /// </summary>
        public static double Iou(Mask dt, Mask gt, bool crowd) => Iou(dt, Box(dt), gt, Box(gt), crowd);

        /// <summary>As <see cref="Iou(Mask, Mask, bool)"/>, with the two masks' toBbox boxes already computed.</summary>
        public static double Iou(Mask dt, in MaskBox db, Mask gt, in MaskBox gb, bool crowd)
        {
            if (BoxIou(db.X, db.Y, db.W, db.H, gb.X, gb.Y, gb.W, gb.H, crowd) <= 0) return 0;
            if (dt.Height != gt.Height || dt.Width != gt.Width) return -1;
            return RunIou(dt.Counts, gt.Counts, crowd, dt.Area);
        }

        public static MaskBox Box(Mask mask)
        {
            BoundingBox(mask, out uint x, out uint y, out uint w, out uint h);
            return new MaskBox { X = x, Y = y, W = w, H = h };
        }

        /// <summary>pycocotools' bbIou for boxes [x, y, w, h].</summary>
        public static double BoxIou(double dx, double dy, double dw, double dh, double gx, double gy, double gw, double gh, bool crowd)
        {
            double w = Math.Min(dw + dx, gw + gx) - Math.Max(dx, gx);
            if (w <= 0) return 0;
            double h = Math.Min(dh + dy, gh + gy) - Math.Max(dy, gy);
            if (h <= 0) return 0;
            double inter = w * h;
            double da = dw * dh;
            return inter / (crowd ? da : da + gw * gh - inter);
        }

        /// <summary>Walks both run lists together, counting pixels in both and in either.</summary>
        public static double RunIou(uint[] a, uint[] b, bool crowd, long areaA)
        {
            uint ca = a[0], cb = b[0];
            int ka = a.Length, kb = b.Length, ia = 1, ib = 1;
            bool va = false, vb = false;
            uint inter = 0, union = 0;
            uint remaining = 1;
            while (remaining > 0)
            {
                uint c = Math.Min(ca, cb);
                if (va || vb)
                {
                    union += c;
                    if (va && vb) inter += c;
                }
                remaining = 0;
                ca -= c;
                if (ca == 0 && ia < ka) { ca = a[ia++]; va = !va; }
                remaining += ca;
                cb -= c;
                if (cb == 0 && ib < kb) { cb = b[ib++]; vb = !vb; }
                remaining += cb;
            }
            if (inter == 0) union = 1;
            else if (crowd) union = (uint)areaA;
            return (double)inter / union;
        }

        /// <summary>
        /// pycocotools' rleMerge: the masks are combined one after another, each step walking two run lists
        /// together and closing a run whenever the combined value changes (or both lists end).
        /// </summary>
        public static Mask Merge(IReadOnlyList<Mask> masks, bool intersect)
        {
            var first = masks[0];
            if (masks.Count == 1) return first;
            uint[] acc = first.Counts;
            int accCount = acc.Length;
            for (int i = 1; i < masks.Count; i++)
            {
                var b = masks[i].Counts;
                // Every output run ends at a run end of one of the two inputs (or at the very end).
                var into = new uint[accCount + b.Length + 1];
                uint ca = acc[0], cb = b[0], run = 0;
                bool v = false, va = false, vb = false;
                int ia = 1, ib = 1, m = 0;
                uint remaining = 1;
                while (remaining > 0)
                {
                    uint c = Math.Min(ca, cb);
                    run += c;
                    remaining = 0;
                    ca -= c;
                    if (ca == 0 && ia < accCount) { ca = acc[ia++]; va = !va; }
                    remaining += ca;
                    cb -= c;
                    if (cb == 0 && ib < b.Length) { cb = b[ib++]; vb = !vb; }
                    remaining += cb;
                    bool previous = v;
                    v = intersect ? va && vb : va || vb;
                    if (v != previous || remaining == 0)
                    {
                        into[m++] = run;
                        run = 0;
                    }
                }
                acc = into;
                accCount = m;
            }
            var counts = new uint[accCount];
            Array.Copy(acc, counts, accCount);
            long area = 0;
            for (int j = 1; j < counts.Length; j += 2) area += counts[j];
            return new Mask(first.Height, first.Width, counts, area);
        }
    }
}
