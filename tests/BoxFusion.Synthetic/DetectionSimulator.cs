using System;
using System.Collections.Generic;

namespace BoxFusion.Synthetic
{
    /// <summary>A detection as written: box in hundredths of a pixel, score in 1e-5 units.</summary>
    internal struct SyntheticDetection
    {
        public int X, Y, W, H;
        public int Category;
        public int Score;   // 0 .. 100000
        public int Order;   // generation order: breaks score ties so sorting is deterministic
    }

    /// <summary>
    /// Makes one model's detections for one image from the image's objects and the model's profile:
    /// found objects with noisy boxes and scores that follow their quality, near-duplicates, wrong
    /// classes, false positives, low-score padding, then the detector's top-k by score.
    /// </summary>
    internal static class DetectionSimulator
    {
        private const int ScoreScale = 100000;
        private const double DifficultyWeight = 4.0;
        // E[sigmoid(a + s Z)] ~ sigmoid(a / sqrt(1 + pi s^2 / 8)), Z standard normal.
        private static readonly double DifficultyScale = Math.Sqrt(1 + Math.PI * DifficultyWeight * DifficultyWeight / 8);

        private sealed class Draft
        {
            public readonly List<SyntheticDetection> Items = new List<SyntheticDetection>();
            public int Width, Height;
            public bool Clip = true;

            public void Add(double x1, double y1, double x2, double y2, int category, double score)
            {
                if (x2 < x1) { double t = x1; x1 = x2; x2 = t; }
                if (y2 < y1) { double t = y1; y1 = y2; y2 = t; }
                int ix1 = SyntheticWorld.Hundredths(x1), iy1 = SyntheticWorld.Hundredths(y1);
                int ix2 = SyntheticWorld.Hundredths(x2), iy2 = SyntheticWorld.Hundredths(y2);
                // Like a real detector, boxes are clipped to the image and at least a pixel wide.
                ClipSpan(ref ix1, ref ix2, Width * 100);
                ClipSpan(ref iy1, ref iy2, Height * 100);
                double p = SyntheticWorld.Clamp(score, 0.0001, 0.9999);
                Items.Add(new SyntheticDetection
                {
                    X = ix1, Y = iy1, W = ix2 - ix1, H = iy2 - iy1, Category = category,
                    Score = (int)Math.Floor(p * ScoreScale + 0.5), Order = Items.Count,
                });
            }

            private static void ClipSpan(ref int a, ref int b, int limit)
            {
                if (a < 0) a = 0;
                if (b > limit) b = limit;
                if (b - a < 100)
                {
                    if (a + 100 <= limit) b = a + 100;
                    else { b = limit; a = Math.Max(0, limit - 100); }
                }
            }
        }

        /// <summary>The detections of model <paramref name="model"/> on image <paramref name="index"/>, sorted by score, highest first.</summary>
        public static SyntheticDetection[] Generate(SyntheticWorld world, int index, int model)
        {
            var options = world.Options;
            var image = world.Images[index];
            var p = world.Profiles[model];
            var rng = SplitMix.For(options.Seed, SyntheticWorld.DetectionStream, (ulong)index, (ulong)model);
            var draft = new Draft { Width = image.Width, Height = image.Height };

            foreach (var obj in image.Objects)
            {
                if (obj.Crowd) { CrowdMembers(rng, draft, p, obj); continue; }
                double size = Math.Sqrt((double)obj.W * obj.H) / 100.0;
                bool small = size < 32, large = size > 96;
                int cat = obj.Category;
                // Difficulty is shared, so the models tend to miss the same objects (as real ones do); the
                // intercept is scaled so that the mean recall stays near the profile's Recall.
                double found = DifficultyScale * (DetMath.Logit(p.Recall) + p.ClassSkill[cat - 1] - (small ? p.SmallPenalty : 0) + (large ? 0.4 : 0))
                    - DifficultyWeight * obj.Difficulty;
                double sigma = p.LocationNoise * (small ? 1.4 : 1.0);
                double scoreShift = -1.0 * obj.Difficulty + 0.5 * p.ClassSkill[cat - 1] - (small ? 0.4 : 0);
                if (!rng.Chance(DetMath.Sigmoid(found)))
                {
                    // Missed: often still a weak, poorly placed box that only an ensemble can lift.
                    if (rng.Chance(0.35))
                        Emit(rng, draft, p, obj, sigma * 2.5, cat, scoreShift - 2.5);
                    continue;
                }
                bool confused = rng.Chance(p.Confusion);
                Emit(rng, draft, p, obj, sigma, confused ? world.ConfusedClass(rng, cat) : cat, scoreShift - (confused ? 1.0 : 0));
                if (rng.Chance(p.Duplicates))
                    Emit(rng, draft, p, obj, sigma * 2.0, cat, scoreShift - 1.6);
                if (rng.Chance(0.8 * p.Confusion))
                    Emit(rng, draft, p, obj, sigma, confused ? cat : world.ConfusedClass(rng, cat), scoreShift - 1.8);
            }

            foreach (var decoy in image.Decoys)
            {
                if (rng.Chance(p.DecoyRate))
                    Emit(rng, draft, p, decoy, p.LocationNoise * 1.5, decoy.Category, -0.7 - 0.8 * decoy.Difficulty);
            }

            int fps = rng.Poisson(p.FalsePositives);
            for (int f = 0; f < fps; f++)
                RandomBox(world, rng, draft, DetMath.Sigmoid(p.ScoreBias - 2.2 + 0.9 * rng.Normal()));

            int max = options.MaxDetectionsPerImage;
            if (options.PadToMaximum)
            {
                // Most images fill the detector's top-k; about one in seven stops a little short.
                int target = rng.Chance(0.15) ? max - rng.NextInt(max / 3 + 1) : max;
                while (draft.Items.Count < target) Pad(world, rng, draft, image);
            }
            bool dirtyFirst = options.Dirty && index == 0;
            while (dirtyFirst && draft.Items.Count < Math.Min(4, max)) RandomBox(world, rng, draft, rng.Uniform(0.05, 0.5));

            var items = draft.Items.ToArray();
            SortByScore(items);
            if (items.Length > max) Array.Resize(ref items, max);
            if (options.Dirty)
            {
                MakeDirty(SplitMix.For(options.Seed, SyntheticWorld.DirtStream, (ulong)index, (ulong)model), items, image, dirtyFirst);
                SortByScore(items);
            }
            return items;
        }

        /// <summary>A box around the object with edge noise and the model's biases; its score follows its IoU.</summary>
        private static void Emit(SplitMix rng, Draft draft, ModelProfile p, GtObject obj, double sigma, int category, double scoreShift)
        {
            double x = obj.X / 100.0, y = obj.Y / 100.0, w = obj.W / 100.0, h = obj.H / 100.0;
            double growX = w * p.ScaleBias / 2, growY = h * p.ScaleBias / 2;
            double x1 = x + w * (obj.Left + p.ShiftX + sigma * rng.Normal()) - growX + 0.4 * rng.Normal();
            double x2 = x + w + w * (obj.Right + p.ShiftX + sigma * rng.Normal()) + growX + 0.4 * rng.Normal();
            double y1 = y + h * (obj.Top + p.ShiftY + sigma * rng.Normal()) - growY + 0.4 * rng.Normal();
            double y2 = y + h + h * (obj.Bottom + p.ShiftY + sigma * rng.Normal()) + growY + 0.4 * rng.Normal();
            double quality = Iou(x1, y1, x2, y2, x, y, x + w, y + h);
            double logit = p.ScoreBias + p.ScoreGain * (quality - 0.6) + scoreShift + p.ScoreNoise * rng.Normal();
            draft.Add(x1, y1, x2, y2, category, DetMath.Sigmoid(logit));
        }

        /// <summary>Individual members inside a crowd region (which COCO evaluation ignores).</summary>
        private static void CrowdMembers(SplitMix rng, Draft draft, ModelProfile p, GtObject crowd)
        {
            int n = rng.Poisson(1.5);
            double cw = crowd.W / 100.0, ch = crowd.H / 100.0;
            for (int i = 0; i < n; i++)
            {
                double w = cw * rng.Uniform(0.2, 0.5), h = ch * rng.Uniform(0.3, 0.7);
                double x = crowd.X / 100.0 + rng.Uniform(0, cw - w), y = crowd.Y / 100.0 + rng.Uniform(0, ch - h);
                double logit = p.ScoreBias - 0.3 + p.ScoreNoise * rng.Normal();
                draft.Add(x, y, x + w, y + h, crowd.Category, DetMath.Sigmoid(logit));
            }
        }

        private static void RandomBox(SyntheticWorld world, SplitMix rng, Draft draft, double score)
        {
            double x, y, w, h;
            SyntheticWorld.SampleBox(rng, draft.Width, draft.Height, out x, out y, out w, out h);
            draft.Add(x, y, x + w, y + h, world.SampleClass(rng), score);
        }

        /// <summary>
        /// A low-score box, as a detector emits by the dozen at a low threshold: most lie on or around a
        /// real object (parts, loose boxes, other classes), the rest anywhere.
        /// </summary>
        private static void Pad(SyntheticWorld world, SplitMix rng, Draft draft, SyntheticImage image)
        {
            double u = rng.NextDouble();
            double score = 0.01 + 0.17 * u * u;
            if (image.Objects.Length == 0 || rng.Chance(0.4))
            {
                RandomBox(world, rng, draft, score);
                return;
            }
            var obj = image.Objects[rng.NextInt(image.Objects.Length)];
            double w = obj.W / 100.0, h = obj.H / 100.0;
            double scale = DetMath.Exp(rng.Uniform(-0.7, 0.45));
            double nw = w * scale * DetMath.Exp(0.2 * rng.Normal()), nh = h * scale * DetMath.Exp(0.2 * rng.Normal());
            double cx = obj.X / 100.0 + w / 2 + 0.3 * w * rng.Normal(), cy = obj.Y / 100.0 + h / 2 + 0.3 * h * rng.Normal();
            int category = rng.Chance(0.35) ? obj.Category : rng.Chance(0.5) ? world.ConfusedClass(rng, obj.Category) : world.SampleClass(rng);
            draft.Add(cx - nw / 2, cy - nh / 2, cx + nw / 2, cy + nh / 2, category, score);
        }

        /// <summary>
        /// Dirt after top-k, as a buggy exporter would add it: a box past the border, a zero-width or
        /// zero-height box, scores of exactly 0 and 1. Image 0 always gets one of each.
        /// </summary>
        private static void MakeDirty(SplitMix rng, SyntheticDetection[] items, SyntheticImage image, bool guaranteed)
        {
            int n = items.Length;
            if (n == 0) return;
            int limitX = image.Width * 100, limitY = image.Height * 100;
            int slot = 0;
            if (guaranteed || rng.Chance(0.05)) PastBorder(rng, ref items[guaranteed ? slot++ % n : rng.NextInt(n)], limitX, limitY);
            if (guaranteed || rng.Chance(0.03))
            {
                int i = guaranteed ? slot++ % n : rng.NextInt(n);
                if (guaranteed || rng.Chance(0.6)) items[i].W = 0; else items[i].H = 0;
            }
            if (guaranteed || rng.Chance(0.02)) items[guaranteed ? slot++ % n : rng.NextInt(n)].Score = ScoreScale;
            if (guaranteed || rng.Chance(0.02)) items[guaranteed ? (n - 1) : rng.NextInt(n)].Score = 0;
        }

        private static void PastBorder(SplitMix rng, ref SyntheticDetection d, int limitX, int limitY)
        {
            int by = 100 * (2 + rng.NextInt(30));
            switch (rng.NextInt(4))
            {
                case 0: d.W = limitX - d.X + by; break;    // runs past the right edge
                case 1: d.H = limitY - d.Y + by; break;    // past the bottom
                case 2: d.W += d.X + by; d.X = -by; break;  // starts left of the image
                default: d.H += d.Y + by; d.Y = -by; break; // starts above it
            }
            if (d.W <= 0) d.W = by;
            if (d.H <= 0) d.H = by;
        }

        private static void SortByScore(SyntheticDetection[] items) =>
            Array.Sort(items, (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order));

        private static double Iou(double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2, double by2)
        {
            if (ax2 < ax1) { double t = ax1; ax1 = ax2; ax2 = t; }
            if (ay2 < ay1) { double t = ay1; ay1 = ay2; ay2 = t; }
            double iw = Math.Min(ax2, bx2) - Math.Max(ax1, bx1), ih = Math.Min(ay2, by2) - Math.Max(ay1, by1);
            if (iw <= 0 || ih <= 0) return 0;
            double inter = iw * ih;
            return inter / ((ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter);
        }
    }
}
