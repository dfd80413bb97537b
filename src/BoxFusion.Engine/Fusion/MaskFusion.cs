using System;
using System.Collections.Generic;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// The mask of a fused detection (METHODS.md, Masks). WBF and NMW: a weighted pixel vote of the cluster's
    /// masked members, with the weights that average its coordinates, summed in the order the members joined.
    /// NMS and Soft-NMS: the kept record's own mask. Works on run lengths: one sweep over all members' run
    /// boundaries, never a bitmap.
    /// </summary>
    internal static class MaskFusion
    {
        public static Mask For(FusionScratch s, ref FusedBox f, FusionContext context)
        {
            var o = context.Options;
            var masks = s.Masks;
            if (o.Method == FusionMethod.NMS || o.Method == FusionMethod.SoftNMS) return masks[s.Boxes[f.FirstMember].Order];
            var v = s.MaskVote ?? (s.MaskVote = new MaskVoteScratch());
            v.Ensure(f.MemberCount);
            bool nmw = o.Method == FusionMethod.NMW;
            ref var main = ref s.Boxes[f.FirstMember];
            int k = 0;
            double total = 0;
            for (int i = 0; i < f.MemberCount; i++)
            {
                ref var b = ref s.Boxes[s.Members[f.MemberStart + i]];
                var mask = masks[b.Order];
                if (mask == null) continue;
                double weight = nmw ? b.WeightedScore * PreparedBox.Iou(b, main.X1, main.Y1, main.X2, main.Y2) : b.WeightedScore;
                v.Masks[k] = mask;
                v.Weights[k] = weight;
                total += weight;
                k++;
            }
            if (k == 0) return null;
            var first = v.Masks[0];
            // One member, or weights that sum to nothing: the (first) member's mask, as the rule says.
            if (k == 1 || !(total > 0)) { Array.Clear(v.Masks, 0, k); return first; }
            var fused = Vote(v, k, o.MaskThreshold * total);
            Array.Clear(v.Masks, 0, k); // the scratch outlives the image: do not keep its masks alive
            return fused;
        }

        /// <summary>Pixels where the weights of the covering masks sum to at least <paramref name="threshold"/>.</summary>
        internal static Mask Vote(MaskVoteScratch v, int k, double threshold)
        {
            var masks = v.Masks;
            var weights = v.Weights;
            var run = v.RunIndex;
            var left = v.RunLeft;
            var on = v.On;
            for (int m = 0; m < k; m++)
            {
                run[m] = 0;
                left[m] = masks[m].Counts[0];
                on[m] = false;
                SkipEmptyRuns(masks[m].Counts, ref run[m], ref left[m], ref on[m]);
            }
            long pixels = (long)masks[0].Height * masks[0].Width;
            var output = v.Output;
            int count = 0;
            bool outOn = false;
            uint outRun = 0;
            long area = 0;
            while (pixels > 0)
            {
                uint step = uint.MaxValue;
                double sum = 0;
                for (int m = 0; m < k; m++)
                {
                    if (left[m] < step) step = left[m];
                    if (on[m]) sum += weights[m];
                }
                bool pixel = sum >= threshold;
                if (pixel != outOn)
                {
                    if (count == output.Length) output = v.GrowOutput();
                    output[count++] = outRun;
                    outRun = 0;
                    outOn = pixel;
                }
                outRun += step;
                if (pixel) area += step;
                pixels -= step;
                for (int m = 0; m < k; m++)
                {
                    left[m] -= step;
                    if (left[m] == 0) SkipEmptyRuns(masks[m].Counts, ref run[m], ref left[m], ref on[m]);
                }
            }
            if (count == output.Length) output = v.GrowOutput();
            output[count++] = outRun;
            var counts = new uint[count];
            Array.Copy(output, counts, count);
            return new Mask(masks[0].Height, masks[0].Width, counts, area);
        }

        /// <summary>Moves past finished (and empty) runs; at the very end the position stays on the last run with nothing left.</summary>
        private static void SkipEmptyRuns(uint[] counts, ref int run, ref uint left, ref bool on)
        {
            while (left == 0 && run + 1 < counts.Length)
            {
                run++;
                left = counts[run];
                on = !on;
            }
        }
    }

    /// <summary>Per-thread buffers of the mask vote.</summary>
    internal sealed class MaskVoteScratch
    {
        public Mask[] Masks = new Mask[8];
        public double[] Weights = new double[8];
        public int[] RunIndex = new int[8];
        public uint[] RunLeft = new uint[8];
        public bool[] On = new bool[8];
        public uint[] Output = new uint[1024];

        public void Ensure(int k)
        {
            if (Masks.Length >= k) return;
            int n = Math.Max(k, Masks.Length * 2);
            Masks = new Mask[n];
            Weights = new double[n];
            RunIndex = new int[n];
            RunLeft = new uint[n];
            On = new bool[n];
        }

        public uint[] GrowOutput()
        {
            Array.Resize(ref Output, Output.Length * 2);
            return Output;
        }
    }
}
