using System;

namespace BoxFusion.Synthetic
{
    /// <summary>A ground-truth object. Coordinates are in hundredths of a pixel, as written.</summary>
    internal struct GtObject
    {
        public int X, Y, W, H;
        public int Category;
        public bool Crowd;

        /// <summary>How hard the object is, shared by all models (standard normal; higher is harder).</summary>
        public double Difficulty;

        /// <summary>
        /// Where every model tends to put the edges (left, top, right, bottom), relative to the object's
        /// size: the annotation's own ambiguity, an error that fusing models cannot average away.
        /// </summary>
        public double Left, Top, Right, Bottom;
    }

    internal sealed class SyntheticImage
    {
        public int Width, Height;
        public GtObject[] Objects;

        /// <summary>Things that look like objects but are not (a poster of a dog): every model may fire on them, so their false positives are correlated.</summary>
        public GtObject[] Decoys;
    }

    /// <summary>One simulated detector's character.</summary>
    internal sealed class ModelProfile
    {
        public double Recall;          // chance to find an average object
        public double LocationNoise;   // sd of each edge, relative to the object's width or height
        public double ScaleBias;       // boxes systematically this much too large (negative: too small)
        public double ShiftX, ShiftY;  // systematic offset, relative to size
        public double SmallPenalty;    // logit lost on small objects
        public double Confusion;       // chance to give a found object a wrong class
        public double Duplicates;      // chance of a second, worse box on a found object
        public double FalsePositives;  // mean confident-ish false positives per image
        public double DecoyRate;       // chance to fire on each of an image's decoys
        public double ScoreBias, ScoreGain, ScoreNoise; // score logit = bias + gain (IoU - 0.6) + noise ...
        public double[] ClassSkill;    // logit added per class: each model is better at some classes
    }

    /// <summary>Everything shared by the files: images, objects, class frequencies, the models' profiles.</summary>
    internal sealed class SyntheticWorld
    {
        // Streams of SplitMix.For; each image or model uses its own.
        internal const ulong ClassStream = 1, ModelStream = 2, ImageStream = 3, DetectionStream = 4,
            DirtStream = 5, OrderStream = 6, InterleaveStream = 7;

        // (width, height, weight): the common sizes of photo data sets, landscape and portrait.
        /// <summary>The rows of <see cref="Sizes"/> no larger than 640x480 (images with masks).</summary>
        private static readonly int[] SmallSizes = { 0, 1, 2, 8, 9, 10 };

        private static readonly int[,] Sizes =
        {
            { 640, 480, 22 }, { 640, 427, 14 }, { 500, 375, 10 }, { 800, 600, 8 }, { 1024, 768, 8 },
            { 1280, 720, 10 }, { 1920, 1080, 4 }, { 1000, 750, 5 }, { 480, 640, 8 }, { 427, 640, 6 },
            { 375, 500, 3 }, { 720, 1280, 2 },
        };

        private const double Ambiguity = 0.06;

        public readonly SyntheticOptions Options;
        public readonly SyntheticImage[] Images;
        public readonly ModelProfile[] Profiles;
        public readonly long AnnotationCount;
        private readonly double[] classCumulative;
        private readonly int[][] confusable;

        public SyntheticWorld(SyntheticOptions options)
        {
            Options = options;
            int classes = options.Classes;

            // Class frequencies are log-normal (a few common classes, a long tail); each class is mistaken
            // for two particular others (a cat for a dog), not for any class at random.
            var rng = SplitMix.For(options.Seed, ClassStream);
            classCumulative = new double[classes];
            double total = 0;
            for (int c = 0; c < classes; c++)
            {
                total += DetMath.Exp(0.9 * rng.Normal());
                classCumulative[c] = total;
            }
            for (int c = 0; c < classes; c++) classCumulative[c] /= total;
            confusable = new int[classes][];
            for (int c = 0; c < classes; c++)
            {
                if (classes == 1) { confusable[c] = new[] { 0 }; continue; }
                int a = (c + 1 + rng.NextInt(classes - 1)) % classes;
                int b = (c + 1 + rng.NextInt(classes - 1)) % classes;
                confusable[c] = new[] { a, b };
            }

            Profiles = MakeProfiles(options);

            Images = new SyntheticImage[options.Images];
            long annotations = 0;
            for (int i = 0; i < Images.Length; i++)
            {
                Images[i] = MakeImage(i);
                annotations += Images[i].Objects.Length;
            }
            AnnotationCount = annotations;
        }

        private static ModelProfile[] MakeProfiles(SyntheticOptions options)
        {
            int k = options.Models;
            var rng = SplitMix.For(options.Seed, ModelStream);
            // The main traits are stratified so that the models really differ, even with only two or three.
            double[] recall = rng.Stratified(k), noise = rng.Stratified(k), bias = rng.Stratified(k), small = rng.Stratified(k);
            var profiles = new ModelProfile[k];
            for (int m = 0; m < k; m++)
            {
                var p = new ModelProfile
                {
                    Recall = 0.6 + 0.3 * recall[m],
                    LocationNoise = 0.02 + 0.035 * noise[m],
                    ScaleBias = rng.Uniform(-0.04, 0.04),
                    ShiftX = rng.Uniform(-0.015, 0.015),
                    ShiftY = rng.Uniform(-0.015, 0.015),
                    SmallPenalty = 0.2 + 0.8 * small[m],
                    Confusion = rng.Uniform(0.02, 0.10),
                    Duplicates = rng.Uniform(0.05, 0.35),
                    FalsePositives = rng.Uniform(0.5, 2.5),
                    DecoyRate = rng.Uniform(0.4, 0.7),
                    ScoreBias = -0.6 + 1.4 * bias[m],
                    ScoreGain = rng.Uniform(3.5, 6.5),
                    ScoreNoise = rng.Uniform(0.3, 0.6),
                    ClassSkill = new double[options.Classes],
                };
                for (int c = 0; c < options.Classes; c++) p.ClassSkill[c] = 0.4 * rng.Normal();
                profiles[m] = p;
            }
            return profiles;
        }

        private SyntheticImage MakeImage(int index)
        {
            var rng = SplitMix.For(Options.Seed, ImageStream, (ulong)index);
            double pick = rng.NextDouble() * 100;
            int s = 0;
            for (double acc = Sizes[0, 2]; acc <= pick && s < Sizes.GetLength(0) - 1; acc += Sizes[++s, 2]) { }
            // With masks, larger sizes fold onto the small ones (same random stream, so box-only worlds do not change).
            if (Options.Masks && Sizes[s, 0] * Sizes[s, 1] > SyntheticMasks.MaxPixels) s = SmallSizes[s % SmallSizes.Length];
            var image = new SyntheticImage { Width = Sizes[s, 0], Height = Sizes[s, 1] };

            // Busy and quiet images: the mean varies by a log-normal factor from image to image.
            double mean = Options.MeanObjectsPerImage * DetMath.Exp(0.5 * rng.Normal() - 0.125);
            int count = Math.Min(rng.Poisson(mean), 4 * Options.MeanObjectsPerImage + 20);
            image.Objects = new GtObject[count];
            for (int o = 0; o < count; o++)
            {
                var obj = new GtObject
                {
                    Category = SampleClass(rng), Difficulty = rng.Normal(),
                    Left = Ambiguity * rng.Normal(), Top = Ambiguity * rng.Normal(),
                    Right = Ambiguity * rng.Normal(), Bottom = Ambiguity * rng.Normal(),
                };
                double x, y, w, h;
                SampleBox(rng, image.Width, image.Height, out x, out y, out w, out h);
                // About one object in a hundred is a crowd region (a group marked as one box), always fairly big.
                if (w * h > 40 * 40 && rng.Chance(0.012))
                {
                    obj.Crowd = true;
                    double grow = rng.Uniform(1.3, 2.0);
                    double cx = x + w / 2, cy = y + h / 2;
                    w = Math.Min(w * grow, image.Width);
                    h = Math.Min(h * grow, image.Height);
                    x = Clamp(cx - w / 2, 0, image.Width - w);
                    y = Clamp(cy - h / 2, 0, image.Height - h);
                }
                int x1 = Hundredths(x), y1 = Hundredths(y);
                int x2 = Math.Min(Hundredths(x + w), image.Width * 100), y2 = Math.Min(Hundredths(y + h), image.Height * 100);
                obj.X = x1;
                obj.Y = y1;
                obj.W = Math.Max(100, x2 - x1);
                obj.H = Math.Max(100, y2 - y1);
                image.Objects[o] = obj;
            }
            int decoys = rng.Poisson(0.25 * Options.MeanObjectsPerImage + 0.5);
            image.Decoys = new GtObject[decoys];
            for (int o = 0; o < decoys; o++)
            {
                double x, y, w, h;
                SampleBox(rng, image.Width, image.Height, out x, out y, out w, out h);
                image.Decoys[o] = new GtObject
                {
                    Category = SampleClass(rng), Difficulty = rng.Normal(),
                    X = Hundredths(x), Y = Hundredths(y), W = Math.Max(100, Hundredths(w)), H = Math.Max(100, Hundredths(h)),
                };
            }
            return image;
        }

        public int SampleClass(SplitMix rng)
        {
            double u = rng.NextDouble();
            int lo = 0, hi = classCumulative.Length - 1;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (classCumulative[mid] > u) hi = mid; else lo = mid + 1;
            }
            return lo + 1;
        }

        /// <summary>A category that a detector might give to an object of this one.</summary>
        public int ConfusedClass(SplitMix rng, int category)
        {
            int[] options = confusable[category - 1];
            // Mostly one of the two look-alikes, sometimes anything.
            return rng.Chance(0.8) ? options[rng.NextInt(options.Length)] + 1 : SampleClass(rng);
        }

        /// <summary>
        /// A box of log-uniform size (square root of its area from 6 px to 85 % of the shorter side, so
        /// COCO's small, medium and large are all common) and log-normal aspect ratio, inside the image.
        /// </summary>
        public static void SampleBox(SplitMix rng, int width, int height, out double x, out double y, out double w, out double h)
        {
            double shorter = Math.Min(width, height);
            double side = DetMath.Exp(rng.Uniform(DetMath.Log(6.0), DetMath.Log(0.85 * shorter)));
            double aspect = DetMath.Exp(Clamp(0.45 * rng.Normal(), -1.4, 1.4));
            double ra = Math.Sqrt(aspect);
            w = Clamp(side * ra, 1, width);
            h = Clamp(side / ra, 1, height);
            x = rng.Uniform(0, width - w);
            y = rng.Uniform(0, height - h);
        }

        public static int Hundredths(double v) => (int)Math.Floor(v * 100.0 + 0.5);

        public static double Clamp(double v, double low, double high) => v < low ? low : v > high ? high : v;
    }
}
