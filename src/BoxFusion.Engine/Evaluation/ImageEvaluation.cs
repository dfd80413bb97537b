using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using BoxFusion.Coco;

namespace BoxFusion.Evaluation
{
    /// <summary>COCOeval.computeIoU + evaluateImg for every (image, category) with any GT or detection.</summary>
    internal static class ImageEvaluation
    {
        /// <summary>
        /// Cells with at least this many (detection, GT) pairs find each detection's overlapping GTs through the GTs sorted
        /// by x instead of trying every GT. Both ways give the same candidates; tests lower it to compare them.
        /// </summary>
        internal static long SweepMinimumPairs = 1 << 16;

        /// <summary>Per-thread working arrays.</summary>
        private sealed class Scratch
        {
            public int[] Sort;
            public double[] DX = new double[128], DY = new double[128], DW = new double[128], DH = new double[128], DArea = new double[128];
            public double[] GX = new double[64], GY = new double[64], GW = new double[64], GH = new double[64], GArea = new double[64];
            public bool[] GCrowd = new bool[64], GIgnore = new bool[64];
            public long[] GId = new long[64];
            public bool[] Ig = new bool[256];       // a * G + g: GT g is ignored in area range a
            public bool[] Gtm = new bool[2560];     // (a * T + t) * G + g: GT g is matched at threshold t in area range a
            public int[] CandG = new int[64], Ordered = new int[64], ByX = new int[64];
            public double[] CandV = new double[64], SortedX = new double[64];
            public double[] Ious = new double[256];   // segm only: [d * G + g]

            public void EnsureDt(int d)
            {
                if (DX.Length >= d) return;
                int n = Math.Max(d, DX.Length * 2);
                DX = new double[n]; DY = new double[n]; DW = new double[n]; DH = new double[n]; DArea = new double[n];
            }

            public void EnsureGt(int g, int t, int a)
            {
                if (GX.Length < g)
                {
                    int n = Math.Max(g, GX.Length * 2);
                    GX = new double[n]; GY = new double[n]; GW = new double[n]; GH = new double[n]; GArea = new double[n];
                    GCrowd = new bool[n]; GIgnore = new bool[n]; GId = new long[n];
                    CandG = new int[n]; Ordered = new int[n]; ByX = new int[n]; CandV = new double[n]; SortedX = new double[n];
                }
                int ig = checked(a * g), gtm = checked(a * t * g);
                if (Ig.Length < ig) Ig = new bool[Math.Max(ig, Ig.Length * 2)];
                if (Gtm.Length < gtm) Gtm = new bool[Math.Max(gtm, Gtm.Length * 2)];
            }
        }

        public static void Run(EvaluationRun run, ParallelOptions parallel)
        {
            int I = run.I;
            run.ImageCellCount = new int[I];
            run.ImageSlotCount = new int[I];

            // Pass 1: order each image's detections (category, then score) and GT (category), count cells and kept detections.
            Parallel.For(0, I, parallel, () => new Scratch(), [MethodImpl(Tiering.Hot)] (i, _, s) =>
            {
                int ds = run.ImageDtStart[i], de = run.ImageDtStart[i + 1];
                int gs = run.ImageGtStart[i], ge = run.ImageGtStart[i + 1];
                StableSort.Sort(run.DtByImage, ds, de - ds, ref s.Sort, new DetectionOrder { K = run.DetK, Score = run.DetScore });
                StableSort.Sort(run.GtByImage, gs, ge - gs, ref s.Sort, new CategoryOrder { K = run.GtK });
                int cells = 0, slots = 0;
                int d = ds, g = gs;
                while (d < de || g < ge)
                {
                    int k = NextCategory(run, d, de, g, ge);
                    int dStart = d;
                    while (d < de && run.DetK[run.DtByImage[d]] == k) d++;
                    while (g < ge && run.GtK[run.GtByImage[g]] == k) g++;
                    cells++;
                    slots += Math.Min(d - dStart, run.MaxDetLast);
                }
                run.ImageCellCount[i] = cells;
                run.ImageSlotCount[i] = slots;
                return s;
            }, _ => { });

            run.ImageCellStart = new int[I + 1];
            run.ImageSlotStart = new int[I + 1];
            for (int i = 0; i < I; i++)
            {
                run.ImageCellStart[i + 1] = run.ImageCellStart[i] + run.ImageCellCount[i];
                run.ImageSlotStart[i + 1] = run.ImageSlotStart[i] + run.ImageSlotCount[i];
            }
            int cellCount = run.CellCount = run.ImageCellStart[I];
            int slotCount = run.ImageSlotStart[I];
            run.CellK = new int[cellCount];
            run.CellSlotStart = new int[cellCount];
            run.CellD = new int[cellCount];
            run.CellNpig = new int[cellCount * run.A];
            run.SlotScore = new double[slotCount];
            run.SlotRank = new int[slotCount];
            run.SlotMatched = new ushort[slotCount * run.A];
            run.SlotIgnored = new ushort[slotCount * run.A];

            // Pass 2: evaluate every cell.
            Parallel.For(0, I, parallel, () => new Scratch(), [MethodImpl(Tiering.Hot)] (i, _, s) =>
            {
                int ds = run.ImageDtStart[i], de = run.ImageDtStart[i + 1];
                int gs = run.ImageGtStart[i], ge = run.ImageGtStart[i + 1];
                int c = run.ImageCellStart[i], slot = run.ImageSlotStart[i];
                int d = ds, g = gs;
                while (d < de || g < ge)
                {
                    int k = NextCategory(run, d, de, g, ge);
                    int dStart = d, gStart = g;
                    while (d < de && run.DetK[run.DtByImage[d]] == k) d++;
                    while (g < ge && run.GtK[run.GtByImage[g]] == k) g++;
                    int D = Math.Min(d - dStart, run.MaxDetLast);
                    run.CellK[c] = k;
                    run.CellSlotStart[c] = slot;
                    run.CellD[c] = D;
                    EvaluateCell(run, s, i, c, slot, dStart, D, gStart, g - gStart, parallel.CancellationToken);
                    c++;
                    slot += D;
                }
                return s;
            }, _ => { });

            // Cells of each category, in image order.
            var counts = new int[run.K + 1];
            for (int c = 0; c < cellCount; c++) counts[run.CellK[c] + 1]++;
            run.CatCellStart = CocoEvaluator.Prefix(counts);
            run.CatCells = new int[cellCount];
            var fill = (int[])run.CatCellStart.Clone();
            for (int c = 0; c < cellCount; c++) run.CatCells[fill[run.CellK[c]]++] = c;
        }

        private static int NextCategory(EvaluationRun run, int d, int de, int g, int ge)
        {
            int kd = d < de ? run.DetK[run.DtByImage[d]] : int.MaxValue;
            int kg = g < ge ? run.GtK[run.GtByImage[g]] : int.MaxValue;
            return Math.Min(kd, kg);
        }

        /// <summary>
        /// One (image, category): dts are DtByImage[dStart..dStart+D) (highest score first, already cut to maxDets[-1]);
        /// gts are GtByImage[gStart..gStart+G) in file order.
        /// </summary>
        /// <remarks>
        /// evaluateImg's greedy matching, detection by detection, for every area range and IoU threshold at once. A GT whose
        /// IoU is below the lowest threshold can never be chosen, and skipping it changes nothing else (the loop's early stop
        /// only ever skips ignored GTs, which come last), so each detection's loop runs over its candidates only: the GTs it
        /// overlaps enough. That keeps the work near D x (few) instead of D x G x thresholds, and needs no D x G IoU matrix
        /// (50,000 x 50,000 would not fit in memory).
        /// </remarks>
        [MethodImpl(Tiering.Hot)]
        private static void EvaluateCell(EvaluationRun run, Scratch s, int image, int cell, int slot, int dStart, int D, int gStart, int G, CancellationToken cancel)
        {
            int T = run.T, A = run.A;
            s.EnsureDt(D);
            s.EnsureGt(G, T, A);
            for (int d = 0; d < D; d++)
            {
                int j = run.DtByImage[dStart + d];
                var box = run.DetBox;
                s.DX[d] = box[4 * j]; s.DY[d] = box[4 * j + 1]; s.DW[d] = box[4 * j + 2]; s.DH[d] = box[4 * j + 3];
                s.DArea[d] = run.DetArea[j];   // loadRes: bb[2] * bb[3], or the mask's area for results without boxes
                run.SlotScore[slot + d] = run.DetScore[j];
                run.SlotRank[slot + d] = d;
            }
            for (int g = 0; g < G; g++)
            {
                var ann = run.Gts[run.GtByImage[gStart + g]];
                s.GX[g] = ann.X; s.GY[g] = ann.Y; s.GW[g] = ann.Width; s.GH[g] = ann.Height;
                s.GArea[g] = ann.Area;
                s.GCrowd[g] = ann.IsCrowd;
                // pycocotools: gt['ignore'] = 'iscrowd' in gt and gt['iscrowd'] (the file's 'ignore' is overwritten).
                s.GIgnore[g] = ann.IsIgnoredAsCrowd || (run.HonorIgnoreField && ann.Ignore);
                s.GId[g] = ann.Id;
            }
            // Masks: maskUtils.iou of every (detection, GT) pair up front, laid out [d, g] with g in file order; the
            // matcher then takes its candidates from that matrix instead of from the boxes.
            bool segm = D > 0 && G > 0 && run.Segm;
            if (segm) MaskEvaluation.CellIous(run, s.Ious.Length < D * G ? (s.Ious = new double[Math.Max(D * G, s.Ious.Length * 2)]) : s.Ious,
                image, dStart, D, gStart, G);
            // Per area range: which GTs are ignored (gt sorted ignore-last: np.argsort(_ignore, kind='mergesort')).
            for (int a = 0; a < A; a++)
            {
                double lo = run.AreaLow[a], hi = run.AreaHigh[a];
                int npig = 0;
                for (int g = 0; g < G; g++)
                {
                    bool ig = s.GIgnore[g] || s.GArea[g] < lo || s.GArea[g] > hi;
                    s.Ig[a * G + g] = ig;
                    if (!ig) npig++;
                }
                run.CellNpig[cell * A + a] = npig;
                for (int d = 0; d < D; d++)
                {
                    run.SlotMatched[(slot + d) * A + a] = 0;
                    run.SlotIgnored[(slot + d) * A + a] = 0;
                }
            }

            if (D > 0 && G > 0)
            {
                Array.Clear(s.Gtm, 0, A * T * G);
                double lowest = double.PositiveInfinity;
                for (int t = 0; t < T; t++) lowest = Math.Min(lowest, Math.Min(run.IouThrs[t], 1 - 1e-10));
                double widest = 0;
                bool sweep = !segm && lowest > 0 && (long)D * G >= SweepMinimumPairs && SortByX(s, G, out widest);
                for (int d = 0; d < D; d++)
                {
                    if ((d & 63) == 63) cancel.ThrowIfCancellationRequested();   // a crowded cell can take long: Ctrl+C stops it
                    int count = segm ? MatrixCandidates(s, d, G, lowest)
                        : sweep && !double.IsNaN(s.DX[d] + s.DW[d]) ? SweepCandidates(s, d, G, lowest, widest) : Candidates(s, d, 0, G, lowest, 0);
                    if (count > 0) Match(run, s, slot, d, G, count);
                }
            }
            // A detection that matched nothing and whose own area is outside the range does not count against
            // precision for that range: mark it ignored at every threshold where it is unmatched.
            ushort allT = (ushort)((1 << T) - 1);
            for (int a = 0; a < A; a++)
            {
                double lo = run.AreaLow[a], hi = run.AreaHigh[a];
                for (int d = 0; d < D; d++)
                {
                    double area = s.DArea[d];
                    if (area < lo || area > hi)
                    {
                        int at = (slot + d) * A + a;
                        run.SlotIgnored[at] |= (ushort)(~run.SlotMatched[at] & allT);
                    }
                }
            }
        }

        /// <summary>
        /// Appends, in file order, the GTs g in [from, to) whose IoU with detection d is not below <paramref name="lowest"/>
        /// (maskUtils.iou for boxes; a NaN IoU stays a candidate, as pycocotools' "iou &lt; t" is false for it). Returns the count.
        /// </summary>
        [MethodImpl(Tiering.Hot)]
        private static int Candidates(Scratch s, int d, int from, int to, double lowest, int count)
        {
            double dx = s.DX[d], dy = s.DY[d], dw = s.DW[d], dh = s.DH[d];
            for (int g = from; g < to; g++)
            {
                double value = Iou(s, g, dx, dy, dw, dh);
                if (!(value < lowest))
                {
                    s.CandG[count] = g;
                    s.CandV[count] = value;
                    count++;
                }
            }
            return count;
        }

        /// <summary>Like <see cref="Candidates"/>, from the precomputed IoU matrix (mask IoU).</summary>
        private static int MatrixCandidates(Scratch s, int d, int G, double lowest)
        {
            int count = 0, row = d * G;
            for (int g = 0; g < G; g++)
            {
                double value = s.Ious[row + g];
                if (value < lowest) continue;
                s.CandG[count] = g;
                s.CandV[count] = value;
                count++;
            }
            return count;
        }

        /// <summary>bbIou: intersection over union, or over the detection's area for a crowd GT; 0 when they do not overlap.</summary>
        private static double Iou(Scratch s, int g, double dx, double dy, double dw, double dh)
        {
            double gx = s.GX[g], gy = s.GY[g], gw = s.GW[g], gh = s.GH[g];
            double w = Math.Min(dw + dx, gw + gx) - Math.Max(dx, gx);
            if (!(w > 0)) return 0;
            double h = Math.Min(dh + dy, gh + gy) - Math.Max(dy, gy);
            if (!(h > 0)) return 0;
            double da = dw * dh;
            double inter = w * h;
            double u = s.GCrowd[g] ? da : da + gw * gh - inter;
            return inter / u;
        }

        /// <summary>The GTs by x (stable) into ByX and SortedX; false when an x or width is not finite (then every GT is tried).</summary>
        private static bool SortByX(Scratch s, int G, out double widest)
        {
            widest = double.NegativeInfinity;
            for (int g = 0; g < G; g++)
            {
                if (!Numbers.IsFinite(s.GX[g]) || !Numbers.IsFinite(s.GW[g])) return false;
                widest = Math.Max(widest, s.GW[g]);
                s.ByX[g] = g;
                s.SortedX[g] = s.GX[g];
            }
            Array.Sort(s.SortedX, s.ByX, 0, G);
            return true;
        }

        /// <summary>
        /// Candidates of detection d among the GTs by x. A GT overlaps d only if gx + gw &gt; dx and gx &lt; dx + dw (the same
        /// floating-point sums bbIou forms), and gx + gw &lt;= gx + widest; so only gx with gx + widest &gt; dx and gx &lt; dx + dw
        /// need trying. Every candidate of the full scan is among them; the result is put back in file order.
        /// </summary>
        [MethodImpl(Tiering.Hot)]
        private static int SweepCandidates(Scratch s, int d, int G, double lowest, double widest)
        {
            double dx = s.DX[d], dy = s.DY[d], dw = s.DW[d], dh = s.DH[d];
            double right = dw + dx;
            // first position whose gx + widest > dx (monotone in gx)
            int lo = 0, hi = G;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (s.SortedX[mid] + widest > dx) hi = mid; else lo = mid + 1;
            }
            int count = 0;
            for (int p = lo; p < G && s.SortedX[p] < right; p++)
            {
                int g = s.ByX[p];
                double value = Iou(s, g, dx, dy, dw, dh);
                if (!(value < lowest))
                {
                    s.CandG[count] = g;
                    s.CandV[count] = value;
                    count++;
                }
            }
            if (count > 1) Array.Sort(s.CandG, s.CandV, 0, count);   // file order (GT indices are distinct)
            return count;
        }

        /// <summary>evaluateImg's matching of detection d against its candidates, for every area range and threshold.</summary>
        [MethodImpl(Tiering.Hot)]
        private static void Match(EvaluationRun run, Scratch s, int slot, int d, int G, int count)
        {
            int T = run.T, A = run.A;
            for (int a = 0; a < A; a++)
            {
                // The candidates in the GT order of this area range: not ignored first, then ignored, each in file order.
                int ig0 = a * G, n = 0;
                for (int c = 0; c < count; c++) if (!s.Ig[ig0 + s.CandG[c]]) s.Ordered[n++] = c;
                for (int c = 0; c < count; c++) if (s.Ig[ig0 + s.CandG[c]]) s.Ordered[n++] = c;
                int at = (slot + d) * A + a;
                for (int t = 0; t < T; t++)
                {
                    double iou = Math.Min(run.IouThrs[t], 1 - 1e-10);
                    int gtm0 = (a * T + t) * G;
                    int m = -1;
                    bool mIgnored = false;
                    for (int o = 0; o < count; o++)
                    {
                        int c = s.Ordered[o], g = s.CandG[c];
                        // A GT takes one detection per threshold; a crowd region can absorb any number.
                        if (s.Gtm[gtm0 + g] && !s.GCrowd[g]) continue;
                        bool ignored = s.Ig[ig0 + g];
                        // Ignored GTs come last: once a counted GT has matched, none of them may replace it.
                        if (m > -1 && !mIgnored && ignored) break;
                        // Keep the GT with the highest IoU reaching the threshold (a tie goes to the later one).
                        double v = s.CandV[c];
                        if (v < iou) continue;
                        iou = v;
                        m = g;
                        mIgnored = ignored;
                    }
                    if (m == -1) continue;
                    ushort bit = (ushort)(1 << t);
                    if (mIgnored) run.SlotIgnored[at] |= bit;
                    if (s.GId[m] != 0) run.SlotMatched[at] |= bit;   // dtm = gt id; 0 reads as unmatched
                    s.Gtm[gtm0 + m] = true;
                }
            }
        }
    }
}
