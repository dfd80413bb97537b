using System;
using System.Collections.Generic;

namespace BoxFusion.Fusion
{
    /// <summary>Fuses the detections of one image: prepare, cluster per category, then rank and describe.</summary>
    internal static class ImageFuser
    {
        private static readonly ByScoreThenOrder Ranking = new ByScoreThenOrder();

        public static Detection[] Fuse(object imageId, IReadOnlyList<EnsembleEntry> entries, double width, double height,
            FusionContext context, FusionScratch s)
        {
            var o = context.Options;
            s.Reset(entries.Count, context.ModelCount);
            BoxPreparation.Prepare(entries, context, width, height, s);
            if (s.BoxCount == 0) return Array.Empty<Detection>();

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
            return Describe(imageId, context, s);
        }

        private static Detection[] Describe(object imageId, FusionContext context, FusionScratch s)
        {
            var o = context.Options;
            Array.Sort(s.Fused, 0, s.FusedCount, Ranking);
            int limit = o.MaxDetectionsPerImage > 0 ? Math.Min(o.MaxDetectionsPerImage, s.FusedCount) : s.FusedCount;
            var result = new List<Detection>(limit);
            for (int c = 0; c < s.FusedCount && result.Count < limit; c++)
            {
                ref var f = ref s.Fused[c];
                string[] sources = SourceModels(s, ref f, context, out int votes);
                if (votes < o.MinVotes) continue;
                int category = o.ClassAgnostic ? WinningCategory(s, ref f) : f.Category;
                var detection = new Detection
                {
                    ImageId = imageId,
                    CategoryId = category,
                    Score = f.Score,
                    X = f.X1,
                    Y = f.Y1,
                    Width = f.X2 - f.X1,
                    Height = f.Y2 - f.Y1,
                    Model = context.MethodName,
                    MergedCount = f.MemberCount,
                    SourceModels = sources,
                };
                result.Add(detection);
                if (context.MemberSink != null)
                {
                    var members = new int[f.MemberCount];
                    for (int m = 0; m < members.Length; m++) members[m] = s.Boxes[s.Members[f.MemberStart + m]].Order;
                    context.MemberSink(detection, members);
                }
            }
            return result.ToArray();
        }

        private static string[] SourceModels(FusionScratch s, ref FusedBox f, FusionContext context, out int votes)
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
            if (context.ModelCount <= 64) return context.ModelSet(mask);
            var names = new List<string>(votes);
            for (int m = 0; m < context.ModelCount; m++)
            {
                if (s.ModelStamp[m] == stamp) names.Add(context.Models[m]);
            }
            return names.ToArray();
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

    internal sealed class ByScoreThenOrder : IComparer<FusedBox>
    {
        public int Compare(FusedBox a, FusedBox b)
        {
            if (a.Score != b.Score) return a.Score > b.Score ? -1 : 1;
            return a.Order.CompareTo(b.Order);
        }
    }
}
