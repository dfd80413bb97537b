using System;
using System.Runtime.CompilerServices;
using System.Buffers;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace BoxFusion.Evaluation
{
    /// <summary>COCOeval.accumulate and summarize.</summary>
    internal static class Accumulation
    {
        private sealed class Scratch
        {
            public int[] Slots = new int[64], Order = new int[64], Rank = new int[64], KeptAt = new int[64], SortTmp;
            public ushort[] Matched = new ushort[64], Ignored = new ushort[64], FMatched = new ushort[64], FIgnored = new ushort[64];
            public double[] FScore = new double[64], SortedScore = new double[64], CellScore = new double[64];
            public double[] CandRc = new double[64], CandPr = new double[64], CandScore = new double[64];
            public int[] CandCount = new int[16], Tp = new int[16], FpExtra = new int[16], Npig = new int[4];

            /// <summary>Room for n detections; Matched and Ignored hold n per area range.</summary>
            public void Ensure(int n, int a)
            {
                if (Npig.Length < a) Npig = new int[a];
                if (Slots.Length < n)
                {
                    int size = Math.Max(n, Slots.Length * 2);
                    Slots = new int[size]; Order = new int[size]; Rank = new int[size]; KeptAt = new int[size];
                    FMatched = new ushort[size]; FIgnored = new ushort[size];
                    FScore = new double[size]; SortedScore = new double[size]; CellScore = new double[size];
                }
                if (Matched.Length < checked(n * a))
                {
                    Matched = new ushort[Math.Max(n * a, Matched.Length * 2)];
                    Ignored = new ushort[Matched.Length];
                }
            }

            public void EnsureCandidates(int t, int cap)
            {
                if (CandRc.Length < t * cap)
                {
                    CandRc = new double[Math.Max(t * cap, CandRc.Length * 2)];
                    CandPr = new double[CandRc.Length];
                    CandScore = new double[CandRc.Length];
                }
                if (CandCount.Length < t)
                {
                    CandCount = new int[t]; Tp = new int[t]; FpExtra = new int[t];
                }
            }
        }

        /// <summary>
        /// Fills run.Precision (rented from the shared pool: give it back with <see cref="Release"/>) and run.Recall; with
        /// run.KeepPrecisionRecall, precision for every maxDets and run.Scores too (pycocotools' eval['scores']).
        /// </summary>
        public static void Accumulate(EvaluationRun run, ParallelOptions parallel)
        {
            int T = run.T, R = run.R, K = run.K, A = run.A, M = run.M;
            // summarize() reads precision at maxDets 100 and maxDets[2]; per-category AP at the last maxDets.
            run.PrecisionSlot = new int[M];
            run.PrecisionM = 0;
            for (int m = 0; m < M; m++)
            {
                int md = run.MaxDets[m];
                bool needed = run.KeepPrecisionRecall || md == 100 || md == run.MaxDets[2] || m == M - 1;
                run.PrecisionSlot[m] = needed ? run.PrecisionM++ : -1;
            }
            int size = K * A * run.PrecisionM * T * R;
            run.Precision = ArrayPool<double>.Shared.Rent(Math.Max(size, 1));
            for (int i = 0; i < size; i++) run.Precision[i] = -1;
            if (run.KeepPrecisionRecall)
            {
                run.Scores = new double[size];
                for (int i = 0; i < size; i++) run.Scores[i] = -1;
            }
            run.Recall = new double[T * K * A * M];
            for (int i = 0; i < run.Recall.Length; i++) run.Recall[i] = -1;
            Parallel.For(0, K, parallel, () => new Scratch(), [MethodImpl(Tiering.Hot)] (k, _, s) =>
            {
                AccumulateCategory(run, s, k);
                return s;
            }, _ => { });
        }

        public static void Release(EvaluationRun run)
        {
            if (run.Precision != null) ArrayPool<double>.Shared.Return(run.Precision);
            run.Precision = null;
            run.Scores = null;
        }

        [MethodImpl(Tiering.Hot)]
        private static void AccumulateCategory(EvaluationRun run, Scratch s, int k)
        {
            int cs = run.CatCellStart[k], ce = run.CatCellStart[k + 1];
            if (cs == ce) return;   // no image has GT or detections of this category: its entries stay -1
            int A = run.A, M = run.M;
            int total = 0;
            for (int ci = cs; ci < ce; ci++) total += run.CellD[run.CatCells[ci]];
            s.Ensure(total, A);
            // All images' kept detections of the category, in image order, then ranked by score with a stable sort,
            // so equal scores keep image order as in pycocotools (its mergesort) and the curve is the same. The scores
            // are gathered first and positions sorted by them: the sort then reads a small array, not the whole run's.
            int n = 0;
            for (int ci = cs; ci < ce; ci++)
            {
                int c = run.CatCells[ci];
                int start = run.CellSlotStart[c], D = run.CellD[c];
                for (int d = 0; d < D; d++)
                {
                    s.Slots[n] = start + d;
                    s.CellScore[n] = run.SlotScore[start + d];
                    s.Order[n] = n;
                    n++;
                }
            }
            StableSort.Sort(s.Order, 0, total, ref s.SortTmp, new SlotScoreOrder { Score = s.CellScore });
            // Each detection's rank within its own image (a max-detections limit keeps the image's top ranks only), its
            // score, and its matches in every area range, gathered once in score order so the passes below read in sequence.
            int maxRank = -1;
            for (int j = 0; j < total; j++)
            {
                int position = s.Order[j], slot = s.Slots[position];
                int rank = s.Rank[j] = run.SlotRank[slot];
                if (rank > maxRank) maxRank = rank;
                s.SortedScore[j] = s.CellScore[position];
                for (int a = 0, at = slot * A; a < A; a++, at++)
                {
                    s.Matched[a * total + j] = run.SlotMatched[at];
                    s.Ignored[a * total + j] = run.SlotIgnored[at];
                }
            }
            for (int a = 0; a < A; a++)
            {
                int npig = 0;
                for (int ci = cs; ci < ce; ci++) npig += run.CellNpig[run.CatCells[ci] * A + a];
                s.Npig[a] = npig;
            }

            for (int m = 0; m < M; m++)
            {
                int maxDet = run.MaxDets[m];
                if (maxDet > maxRank)
                {
                    // The limit keeps every detection: the gathered arrays serve as they are.
                    for (int a = 0; a < A; a++)
                    {
                        int npig = s.Npig[a];
                        if (npig == 0) continue;
                        var kept = new Kept(s.Matched, s.Ignored, a * total, s.SortedScore);
                        if (!PrecisionRecall(run, s, kept, total, npig, Math.Min(total, npig) + 1, k, a, m))
                            PrecisionRecall(run, s, kept, total, npig, total + 1, k, a, m);
                    }
                    continue;
                }
                int nd = 0;
                for (int j = 0; j < total; j++)
                {
                    if (s.Rank[j] >= maxDet) continue;
                    s.KeptAt[nd] = j;
                    s.FScore[nd] = s.SortedScore[j];
                    nd++;
                }
                for (int a = 0; a < A; a++)
                {
                    int npig = s.Npig[a];
                    if (npig == 0) continue;
                    for (int i = 0, b = a * total; i < nd; i++)
                    {
                        s.FMatched[i] = s.Matched[b + s.KeptAt[i]];
                        s.FIgnored[i] = s.Ignored[b + s.KeptAt[i]];
                    }
                    var kept = new Kept(s.FMatched, s.FIgnored, 0, s.FScore);
                    if (!PrecisionRecall(run, s, kept, nd, npig, Math.Min(nd, npig) + 1, k, a, m))
                        PrecisionRecall(run, s, kept, nd, npig, nd + 1, k, a, m);
                }
            }
        }

        /// <summary>The detections one (k, a, m) counts, in score order: matches and ignores from Offset on, and scores from 0.</summary>
        private readonly struct Kept
        {
            public Kept(ushort[] matched, ushort[] ignored, int offset, double[] scores)
            {
                Matched = matched;
                Ignored = ignored;
                Offset = offset;
                Scores = scores;
            }

            public readonly ushort[] Matched, Ignored;
            public readonly int Offset;
            public readonly double[] Scores;
        }

        /// <summary>
        /// The accumulate() body for one (k, a, m) and every IoU threshold t, without materialising rc and pr for every
        /// detection: rc = tp/npig only changes where a true positive is counted, so np.searchsorted(rc, recThrs, 'left')
        /// always lands on index 0 or on a true positive; and pr = tp/(fp+tp+eps) never rises at a false positive or an
        /// ignored detection, so the precision envelope (max of pr from there to the end) is the max over those same
        /// candidate positions. Each value is computed with pycocotools' expression, so the results are identical.
        /// Returns false if a threshold had more than cap - 1 true positives (cannot happen: each counted GT matches at
        /// most one detection per threshold), so the caller can retry with a larger cap.
        /// </summary>
        [MethodImpl(Tiering.Hot)]
        private static bool PrecisionRecall(EvaluationRun run, Scratch s, in Kept kept, int nd, int npig, int cap, int k, int a, int m)
        {
            int T = run.T;
            int allT = (1 << T) - 1;
            s.EnsureCandidates(T, cap);
            double[] rc = s.CandRc, pr = s.CandPr, score = s.CandScore;
            int[] count = s.CandCount, tp = s.Tp, fpExtra = s.FpExtra;
            for (int t = 0; t < T; t++) { count[t] = 0; tp[t] = 0; fpExtra[t] = 0; }
            int fpAll = 0;   // detections that are false positives at every threshold (the common case)
            ushort[] matched = kept.Matched, ignored = kept.Ignored;
            double[] scoresKept = kept.Scores;
            int offset = kept.Offset;
            for (int j = 0; j < nd; j++)
            {
                int nonIgnored = ~ignored[offset + j] & allT;
                int tpm = matched[offset + j] & nonIgnored;
                int fpm = nonIgnored & ~tpm;
                if (fpm == allT) fpAll++;
                else if (nonIgnored != 0)
                {
                    for (int t = 0; t < T; t++)
                    {
                        int bit = 1 << t;
                        if ((fpm & bit) != 0) { fpExtra[t]++; continue; }
                        if ((tpm & bit) == 0) continue;
                        double tpd = ++tp[t], fpd = fpAll + fpExtra[t];
                        int at = t * cap + count[t];
                        if (count[t]++ == cap) return false;
                        rc[at] = tpd / npig;
                        pr[at] = tpd / (fpd + tpd + NumPy.Spacing1);
                        score[at] = scoresKept[j];
                    }
                }
                if (j == 0)
                {
                    // position 0 is always a candidate; where it is not a true positive, rc = pr = 0 there
                    for (int t = 0; t < T; t++)
                    {
                        if ((tpm & (1 << t)) != 0) continue;
                        int at = t * cap + count[t]++;
                        rc[at] = 0;
                        pr[at] = 0;
                        score[at] = scoresKept[0];
                    }
                }
            }
            for (int t = 0; t < T; t++)
                run.Recall[run.RecallIndex(t, k, a, m)] = nd > 0 ? (double)tp[t] / npig : 0;   // recall after the last detection
            if (run.PrecisionSlot[m] < 0) return true;   // not read by summarize()
            var recThrs = run.RecThrs;
            var precision = run.Precision;
            var scores = run.Scores;
            int R = run.R;
            for (int t = 0; t < T; t++)
            {
                int b = t * cap, nc = count[t];
                for (int i = b + nc - 1; i > b; i--)
                    if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
                // For each recall threshold, the precision at the first position whose recall reaches it (0 when the
                // recall never does), read from the envelope just made monotone.
                int at = run.PrecisionIndex(t, 0, k, a, m);
                int idx = 0;
                for (int r = 0; r < R; r++)
                {
                    double x = recThrs[r];
                    while (idx < nc && rc[b + idx] < x) idx++;
                    precision[at + r] = idx < nc ? pr[b + idx] : 0;
                    if (scores != null) scores[at + r] = idx < nc ? score[b + idx] : 0;   // dtScoresSorted[inds[ri]]
                }
            }
            return true;
        }

        /// <summary>summarize(): the 12 stats of _summarizeDets.</summary>
        public static double[] Summarize(EvaluationRun run)
        {
            int[] md = run.MaxDets;
            var stats = new double[12];
            stats[0] = Summary(run, true, null, 0, 100);
            stats[1] = Summary(run, true, .5, 0, md[2]);
            stats[2] = Summary(run, true, .75, 0, md[2]);
            stats[3] = Summary(run, true, null, 1, md[2]);
            stats[4] = Summary(run, true, null, 2, md[2]);
            stats[5] = Summary(run, true, null, 3, md[2]);
            stats[6] = Summary(run, false, null, 0, md[0]);
            stats[7] = Summary(run, false, null, 0, md[1]);
            stats[8] = Summary(run, false, null, 0, md[2]);
            stats[9] = Summary(run, false, null, 1, md[2]);
            stats[10] = Summary(run, false, null, 2, md[2]);
            stats[11] = Summary(run, false, null, 3, md[2]);
            return stats;
        }

        /// <summary>
        /// _summarize: mean of the selected entries that are > -1, taken in numpy's C order (t, r, k, m), or -1 when there
        /// are none. Every (k, a, m) block is either all -1 (nothing to measure) or all >= 0, so whole blocks are skipped.
        /// </summary>
        private static double Summary(EvaluationRun run, bool ap, double? iouThr, int area, int maxDets)
        {
            int T = run.T, R = ap ? run.R : 1, K = run.K, M = run.M;
            var ms = new List<int>();
            for (int m = 0; m < M; m++)
                if (run.MaxDets[m] == maxDets) ms.Add(m);
            var ts = new List<int>();
            for (int t = 0; t < T; t++)
                if (!iouThr.HasValue || run.IouThrs[t] == iouThr.Value) ts.Add(t);   // exact comparison, as pycocotools selects the threshold
            // (k, m) pairs in C order whose block holds values
            var km = new List<int>();
            for (int k = 0; k < K; k++)
                foreach (int m in ms)
                    if (run.Recall[run.RecallIndex(0, k, area, m)] > -1) km.Add(k * M + m);
            int count = ts.Count * R * km.Count;
            if (count == 0) return -1;
            var values = ArrayPool<double>.Shared.Rent(count);
            int stride = km.Count;
            for (int j = 0; j < km.Count; j++)
            {
                int k = km[j] / M, m = km[j] % M;
                for (int ti = 0; ti < ts.Count; ti++)
                {
                    int t = ts[ti];
                    int dest = ti * R * stride + j;
                    if (ap)
                    {
                        int src = run.PrecisionIndex(t, 0, k, area, m);
                        for (int r = 0; r < R; r++, dest += stride) values[dest] = run.Precision[src + r];
                    }
                    else values[dest] = run.Recall[run.RecallIndex(t, k, area, m)];
                }
            }
            double mean = NumPy.Mean(values, count);
            ArrayPool<double>.Shared.Return(values);
            return mean;
        }

        /// <summary>Per-category AP (IoU .50:.95 and .50), area all, the last maxDets.</summary>
        public static void CategoryAp(EvaluationRun run, int k, out double ap, out double ap50, out int gtCount)
        {
            int m = run.M - 1;
            var all = new List<double>();
            var at50 = new List<double>();
            for (int t = 0; t < run.T; t++)
                for (int r = 0; r < run.R; r++)
                {
                    double v = run.Precision[run.PrecisionIndex(t, r, k, 0, m)];
                    if (v <= -1) continue;
                    all.Add(v);
                    if (run.IouThrs[t] == .5) at50.Add(v);
                }
            ap = MeanOrMinusOne(all);
            ap50 = MeanOrMinusOne(at50);
            gtCount = 0;
            for (int ci = run.CatCellStart[k]; ci < run.CatCellStart[k + 1]; ci++)
                gtCount += run.CellNpig[run.CatCells[ci] * run.A];
        }

        private static double MeanOrMinusOne(List<double> values)
        {
            if (values.Count == 0) return -1;
            return NumPy.Mean(values.ToArray(), values.Count);
        }
    }
}
