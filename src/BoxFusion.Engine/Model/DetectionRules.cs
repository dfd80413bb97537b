using System;
using System.Globalization;
using BoxFusion.Json;

namespace BoxFusion
{
    /// <summary>
    /// What a usable detection is, in one place for every way detections come in (results files, YOLO files,
    /// New-Detection, objects from the pipeline): a score and box of finite numbers, the score and the sizes not
    /// negative, and every number within <see cref="MaxMagnitude"/>.
    /// </summary>
    /// <remarks>
    /// The bound keeps fusion's sums finite: WBF adds score x weight x coordinate over a cluster, which overflows to
    /// infinity (then NaN boxes) long before 1e308 when coordinates are near 1e308. 1e9 px is far beyond any real image,
    /// and with weights up to 1e9 (<see cref="Fusion.FusionContext"/>) every such sum stays below 1e40.
    /// </remarks>
    public static class DetectionRules
    {
        /// <summary>The largest magnitude of a coordinate, a size or a score: 1e9.</summary>
        public const double MaxMagnitude = 1e9;

        /// <summary>The quick test (no message): true when the detection is usable.</summary>
        public static bool IsValid(double score, double x, double y, double width, double height) =>
            score >= 0 && score <= MaxMagnitude
            && x >= -MaxMagnitude && x <= MaxMagnitude && y >= -MaxMagnitude && y <= MaxMagnitude
            && width >= 0 && width <= MaxMagnitude && height >= 0 && height <= MaxMagnitude;   // NaN fails every comparison

        /// <summary>Null when usable; else what is wrong ("x is 1E+308; ..."), with the kind of problem for counting.</summary>
        public static string Problem(double score, double x, double y, double width, double height, out RecordProblem kind)
        {
            kind = RecordProblem.NonFiniteNumber;
            if (IsValid(score, x, y, width, height)) return null;
            string nonFinite = NonFinite("score", score) ?? NonFinite("x", x) ?? NonFinite("y", y) ?? NonFinite("width", width) ?? NonFinite("height", height);
            if (nonFinite != null) return nonFinite;
            if (width < 0 || height < 0)
            {
                kind = RecordProblem.NegativeSize;
                return string.Format(CultureInfo.InvariantCulture, "negative box size (width {0}, height {1})", Text(width), Text(height));
            }
            if (score < 0)
            {
                kind = RecordProblem.ScoreOutOfRange;
                return "score " + Text(score) + " is negative";
            }
            kind = RecordProblem.OutOfRange;
            return TooLarge("score", score) ?? TooLarge("x", x) ?? TooLarge("y", y) ?? TooLarge("width", width) ?? TooLarge("height", height);
        }

        /// <summary>Null when usable; else what is wrong.</summary>
        public static string Problem(Detection detection, out RecordProblem kind)
        {
            if (detection == null) throw new ArgumentNullException(nameof(detection));
            return Problem(detection.Score, detection.X, detection.Y, detection.Width, detection.Height, out kind);
        }

        private static string NonFinite(string name, double value) =>
            !Numbers.IsFinite(value) ? name + " is " + Text(value) + ", not a finite number" : null;

        private static string TooLarge(string name, double value) => Math.Abs(value) > MaxMagnitude
            ? name + " is " + Text(value) + "; scores, coordinates and sizes must be within 1e9 (BoxFusion's bound: far beyond any image, small enough that fusion's sums stay finite)"
            : null;

        private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
