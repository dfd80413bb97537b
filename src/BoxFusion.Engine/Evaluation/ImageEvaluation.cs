using System;
using System.Threading.Tasks;
using BoxFusion.Coco;

namespace BoxFusion.Evaluation
{
    /// <summary>COCOeval.computeIoU + evaluateImg for every (image, category) with any GT or detection.</summary>
    internal static class ImageEvaluation
    {
        /// <summary>Per-thread working arrays.</summary>
        private sealed class Scratch
        {
            public int[] Sort;
            public double[] Ious = new double[256];
            public double[] DX = new double[128], DY = new double[128], DW = new double[128], DH = new double[128], DArea = new double[128];
            public double[] GX = new double[64], GY = new double[64], GW = new double[64], GH = new double[64], GArea = new double[64];
            public bool[] GCrowd = new bool[64], GIgnore = new bool[64], SortedIg = new bool[64], SortedCrowd = new bool[64];
            public long[] GId = new long[64], SortedId = new long[64];
            public int[] GOrder = new int[64];
            public bool[] Gtm = new bool[640];

            public void EnsureDt(int d)
            {
                if (DX.Length >= d) return;
                int n = Math.Max(d, DX.Length * 2);
                DX = new double[n]; DY = new double[n]; DW = new double[n]; DH = new double[n]; DArea = new double[n];
            }

            public void EnsureGt(int g, int t)
            {
                if (GX.Length < g)
                {
                    int n = Math.Max(g, GX.Length * 2);
                    GX = new double[n]; GY = new double[n]; GW = new double[n]; GH = new double[n]; GArea = new double[n];
                    GCrowd = new bool[n]; GIgnore = new bool[n]; SortedIg = new bool[n]; SortedCrowd = new bool[n];
                    GId = new long[n]; SortedId = new long[n]; GOrder = new int[n];
                }
                if (Gtm.Length < g * t) Gtm = new bool[Math.Max(g * t, Gtm.Length * 2)];
            }
        }

        public static void Run(EvaluationRun run, ParallelOptions parallel)
        {
            int I = run.I;
            run.ImageCellCount = new int[I];
            run.ImageSlotCount = new int[I];

            // Pass 1: order each image's detections (category, then score) and GT (category), count cells and kept detections.
            Parallel.For(0, I, parallel, () => new Scratch(), (i, _, s) =>
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
            Parallel.For(0, I, parallel, () => new Scratch(), (i, _, s) =>
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
                    EvaluateCell(run, s, i, c, slot, dStart, D, gStart, g - gStart);
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
        private static void EvaluateCell(EvaluationRun run, Scratch s, int image, int cell, int slot, int dStart, int D, int gStart, int G)
        {
            int T = run.T, A = run.A;
            s.EnsureDt(D);
            s.EnsureGt(G, T);
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
                s.GIgnore[g] = ann.IsCrowd || (run.HonorIgnoreField && ann.Ignore);
                s.GId[g] = ann.Id;
            }

            // maskUtils.iou(d, g, iscrowd) for boxes (bbIou), laid out [d, g] with g in file order.
            bool any = D > 0 && G > 0;
            if (any && run.Segm) MaskEvaluation.CellIous(run, s.Ious.Length < D * G ? (s.Ious = new double[Math.Max(D * G, s.Ious.Length * 2)]) : s.Ious,
                image, dStart, D, gStart, G);
            else if (any)
            {
                if (s.Ious.Length < D * G) s.Ious = new double[Math.Max(D * G, s.Ious.Length * 2)];
                var ious = s.Ious;
                for (int g = 0; g < G; g++)
                {
                    double gx = s.GX[g], gy = s.GY[g], gw = s.GW[g], gh = s.GH[g];
                    double ga = gw * gh;
                    bool crowd = s.GCrowd[g];
                    for (int d = 0; d < D; d++)
                    {
                        double value = 0;
                        double w = Math.Min(s.DW[d] + s.DX[d], gw + gx) - Math.Max(s.DX[d], gx);
                        if (w > 0)
                        {
                            double h = Math.Min(s.DH[d] + s.DY[d], gh + gy) - Math.Max(s.DY[d], gy);
                            if (h > 0)
                            {
                                double da = s.DW[d] * s.DH[d];
                                double inter = w * h;
                                double u = crowd ? da : da + ga - inter;
                                value = inter / u;
                            }
                        }
                        ious[d * G + g] = value;
                    }
                }
            }

            ushort allT = (ushort)((1 << T) - 1);
            for (int a = 0; a < A; a++)
            {
                double lo = run.AreaLow[a], hi = run.AreaHigh[a];
                // gt sorted ignore-last (stable): np.argsort(_ignore, kind='mergesort')
                int npig = 0;
                for (int g = 0; g < G; g++)
                {
                    bool ig = s.GIgnore[g] || s.GArea[g] < lo || s.GArea[g] > hi;
                    if (!ig) s.GOrder[npig++] = g;
                }
                int pos = npig;
                for (int g = 0; g < G; g++)
                {
                    bool ig = s.GIgnore[g] || s.GArea[g] < lo || s.GArea[g] > hi;
                    if (ig) s.GOrder[pos++] = g;
                }
                for (int gg = 0; gg < G; gg++)
                {
                    int g = s.GOrder[gg];
                    s.SortedIg[gg] = gg >= npig;
                    s.SortedCrowd[gg] = s.GCrowd[g];
                    s.SortedId[gg] = s.GId[g];
                }
                run.CellNpig[cell * A + a] = npig;

                int baseIndex = slot * A + a;
                for (int d = 0; d < D; d++)
                {
                    run.SlotMatched[baseIndex + d * A] = 0;
                    run.SlotIgnored[baseIndex + d * A] = 0;
                }
                if (any)
                {
                    Array.Clear(s.Gtm, 0, T * G);
                    var ious = s.Ious;
                    for (int t = 0; t < T; t++)
                    {
                        double threshold = Math.Min(run.IouThrs[t], 1 - 1e-10);
                        int gtmRow = t * G;
                        ushort bit = (ushort)(1 << t);
                        for (int d = 0; d < D; d++)
                        {
                            double iou = threshold;
                            int m = -1;
                            int row = d * G;
                            for (int gg = 0; gg < G; gg++)
                            {
                                // if this gt already matched, and not a crowd, continue
                                if (s.Gtm[gtmRow + gg] && !s.SortedCrowd[gg]) continue;
                                // if dt matched to reg gt, and on ignore gt, stop
                                if (m > -1 && !s.SortedIg[m] && s.SortedIg[gg]) break;
                                // continue to next gt unless better match made
                                double v = ious[row + s.GOrder[gg]];
                                if (v < iou) continue;
                                iou = v;
                                m = gg;
                            }
                            if (m == -1) continue;
                            int at = baseIndex + d * A;
                            if (s.SortedIg[m]) run.SlotIgnored[at] |= bit;
                            if (s.SortedId[m] != 0) run.SlotMatched[at] |= bit;   // dtm = gt id; 0 reads as unmatched
                            s.Gtm[gtmRow + m] = true;
                        }
                    }
                }
                // set unmatched detections (dtm == 0) outside the area range to ignore
                for (int d = 0; d < D; d++)
                {
                    double area = s.DArea[d];
                    if (area < lo || area > hi)
                    {
                        int at = baseIndex + d * A;
                        run.SlotIgnored[at] |= (ushort)(~run.SlotMatched[at] & allT);
                    }
                }
            }
        }
    }
}
