using System;
using System.Collections.Generic;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// Turns one image's detections into clean boxes, as ensemble-boxes does before fusing:
    /// skip low scores, swap reversed corners, clip to the image, drop empty boxes.
    /// </summary>
    internal static class BoxPreparation
    {
        public static void Prepare(IReadOnlyList<EnsembleEntry> entries, FusionContext context, double width, double height, FusionScratch scratch)
        {
            bool skipLowScores = context.Options.Method == FusionMethod.WBF || context.Options.Method == FusionMethod.NMW;
            double skip = context.Options.SkipBoxThreshold;
            bool clip = !double.IsNaN(width) && !double.IsNaN(height);
            var boxes = scratch.Boxes;
            int count = 0, masked = 0;
            for (int i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                double weight = context.Weights[entry.Model];
                if (weight == 0) continue; // a model weighted 0 contributes nothing
                var d = entry;
                double score = d.Score;
                // Entries are valid (DetectionRules: finite, within 1e9), checked where they came in: DetectionEnsemble.Add or the readers.
                if (skipLowScores && score < skip) continue;
                double x1 = d.X, y1 = d.Y, x2 = d.X + d.Width, y2 = d.Y + d.Height;
                if (x2 < x1) { double t = x1; x1 = x2; x2 = t; }
                if (y2 < y1) { double t = y1; y1 = y2; y2 = t; }
                if (clip)
                {
                    x1 = Clamp(x1, width); x2 = Clamp(x2, width);
                    y1 = Clamp(y1, height); y2 = Clamp(y2, height);
                }
                if ((x2 - x1) * (y2 - y1) == 0) continue;
                ref var b = ref boxes[count];
                b.X1 = x1; b.Y1 = y1; b.X2 = x2; b.Y2 = y2;
                b.Weight = weight;
                b.WeightedScore = score * weight;
                b.Category = d.CategoryId;
                b.Model = entry.Model;
                b.Order = i;
                count++;
                if (scratch.Masks != null && scratch.Masks[i] != null) masked++;
            }
            scratch.BoxCount = count;
            scratch.MaskedCount = masked;
        }

        private static double Clamp(double v, double max) => v < 0 ? 0 : (v > max ? max : v);
    }
}
