using System;
using System.Collections.Generic;

namespace BoxFusion.Fusion
{
    /// <summary>Fuses the detections of one image: prepare, cluster per category, then rank and describe.</summary>
    internal static class ImageFuser
    {

        /// <param name="masks">The entries' masks by position, or null when the image has none.</param>
        public static Detection[] Fuse(object imageId, IReadOnlyList<EnsembleEntry> entries, IReadOnlyList<Mask> masks, double width, double height,
            FusionContext context, FusionScratch s)
        {
            var o = context.Options;
            s.Reset(entries.Count, context.ModelCount);
            s.Masks = masks;
            BoxPreparation.Prepare(entries, context, width, height, s);
            if (s.BoxCount == 0) return Array.Empty<Detection>();

            MaskClustering.Prepare(s, context);
            bool agnostic = o.ClassAgnostic;
            BoxSorter.Sort(s, byCategory: !agnostic, byScore: o.Method != FusionMethod.SoftNMS);

            for (int start = 0; start < s.BoxCount;)
            {
                int end = start + 1;
                if (agnostic) end = s.BoxCount;
                else while (end < s.BoxCount && s.Boxes[end].Category == s.Boxes[start].Category) end++;
                switch (o.Method)
                {
                    case FusionMethod.WBF: WeightedBoxesFusion.FuseRun(s, start, end, context); break;
                    case FusionMethod.NMW: NonMaximumWeighted.FuseRun(s, start, end, context); break;
                    case FusionMethod.NMS: NonMaximumSuppression.Hard(s, start, end, context); break;
                    default: NonMaximumSuppression.Soft(s, start, end, context); break;
                }
                start = end;
            }
            var result = Describe(imageId, context, s);
            s.Masks = null; // the scratch outlives the image
            return result;
        }

        private static Detection[] Describe(object imageId, FusionContext context, FusionScratch s)
        {
            var o = context.Options;
            int n = s.FusedCount;
            var order = RankFused(s);
            int limit = o.MaxDetectionsPerImage > 0 ? Math.Min(o.MaxDetectionsPerImage, n) : n;
            var result = new Detection[limit];
            int count = 0;
            for (int r = 0; r < n && count < limit; r++)
            {
                ref var f = ref s.Fused[order[r]];
                DetectionOrigin origin = Origin(s, ref f, context, out int votes);
                if (votes < o.MinVotes) continue;
                int category = o.ClassAgnostic ? WinningCategory(s, ref f) : f.Category;
                var detection = new Detection(origin, imageId, category, f.Score, f.X1, f.Y1, f.X2 - f.X1, f.Y2 - f.Y1) { MergedCount = f.MemberCount };
                if (s.MaskedCount > 0) detection.Mask = MaskFusion.For(s, ref f, context);
                result[count++] = detection;
                if (context.MemberSink != null)
                {
                    var members = new int[f.MemberCount];
                    for (int m = 0; m < members.Length; m++) members[m] = s.Boxes[s.Members[f.MemberStart + m]].Order;
                    context.MemberSink(detection, members);
                }
            }
            if (count < result.Length) Array.Resize(ref result, count);
            return result;
        }

        /// <summary>
        /// Fused boxes by score, highest first, ties by the input order of their founding box: one order, since no two
        /// boxes share a founder. A radix sort on coarse keys (ScoreRadix), then each run of equal keys in the exact order.
        /// </summary>
        private static int[] RankFused(FusionScratch s)
        {
            int n = s.FusedCount;
            if (s.SortIndex.Length < n) s.SortIndex = new int[n * 2];
            var index = s.SortIndex;
            var fused = s.Fused;
            var keys = s.Radix.KeysFor(n);
            for (int i = 0; i < n; i++)
            {
                double score = fused[i].Score;
                if (!(score >= 0)) return RankByExactScores(s); // NaN or negative: never from valid input, but ranked all the same
                keys[i] = ScoreRadix.DescendingKey(score);
            }
            if (n < 2) { if (n == 1) index[0] = 0; return index; }
            var sorted = s.Radix.Sort(n, index);
            for (int i = 0; i < n;)
            {
                int j = i + 1;
                while (j < n && sorted[j] == sorted[i]) j++;
                if (j - i > 1) InsertByScoreThenOrder(fused, index, i, j);
                i = j;
            }
            return index;
        }

        private static void InsertByScoreThenOrder(FusedBox[] fused, int[] index, int start, int end)
        {
            for (int a = start + 1; a < end; a++)
            {
                int v = index[a], b = a - 1;
                while (b >= start && RanksAfter(fused[index[b]], fused[v])) { index[b + 1] = index[b]; b--; }
                index[b + 1] = v;
            }
        }

        private static bool RanksAfter(in FusedBox a, in FusedBox b) => a.Score < b.Score || (a.Score == b.Score && a.Order > b.Order);

        /// <summary>RankFused's order by a sort of the scores themselves: the general path, for scores it cannot pack.</summary>
        private static int[] RankByExactScores(FusionScratch s)
        {
            int n = s.FusedCount;
            var index = s.SortIndex;
            var keys = s.Work;
            if (keys.Length < n) { keys = s.Work = new double[n * 2]; }
            for (int i = 0; i < n; i++) { index[i] = i; keys[i] = -s.Fused[i].Score; }
            Array.Sort(keys, index, 0, n);
            for (int i = 0; i < n;)
            {
                int j = i + 1;
                while (j < n && keys[j] == keys[i]) j++;
                if (j - i > 1)
                {
                    // equal scores: founding boxes' input order
                    for (int a = i + 1; a < j; a++)
                    {
                        int v = index[a], b = a - 1;
                        while (b >= i && s.Fused[index[b]].Order > s.Fused[v].Order) { index[b + 1] = index[b]; b--; }
                        index[b + 1] = v;
                    }
                }
                i = j;
            }
            return index;
        }

        /// <summary>The fused box's origin: the method and the models of its members (shared per set of models).</summary>
        private static DetectionOrigin Origin(FusionScratch s, ref FusedBox f, FusionContext context, out int votes)
        {
            int stamp = ++s.Stamp;
            ulong mask = 0;
            votes = 0;
            for (int i = 0; i < f.MemberCount; i++)
            {
                int model = s.Boxes[s.Members[f.MemberStart + i]].Model;
                if (s.ModelStamp[model] == stamp) continue;
                s.ModelStamp[model] = stamp;
                votes++;
                if (model < 64) mask |= 1UL << model;
            }
            if (context.ModelCount <= 64) return context.Origin(mask);
            var names = new List<string>(votes);
            for (int m = 0; m < context.ModelCount; m++)
            {
                if (s.ModelStamp[m] == stamp) names.Add(context.Models[m]);
            }
            return context.Origin(names);
        }

        /// <summary>Class-agnostic fusion: the category with the highest summed weighted score among the members.</summary>
        private static int WinningCategory(FusionScratch s, ref FusedBox f)
        {
            if (f.MemberCount == 1) return f.Category;
            var sums = new List<KeyValuePair<int, double>>(4);
            for (int i = 0; i < f.MemberCount; i++)
            {
                var b = s.Boxes[s.Members[f.MemberStart + i]];
                int at = 0;
                while (at < sums.Count && sums[at].Key != b.Category) at++;
                if (at == sums.Count) sums.Add(new KeyValuePair<int, double>(b.Category, b.WeightedScore));
                else sums[at] = new KeyValuePair<int, double>(b.Category, sums[at].Value + b.WeightedScore);
            }
            var best = sums[0];
            foreach (var p in sums) if (p.Value > best.Value) best = p;
            return best.Key;
        }
    }
}
