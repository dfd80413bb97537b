using System;
using System.Threading;

namespace BoxFusion
{
    /// <summary>
    /// Where detections came from: the model (or fusion method) and the models fused into them. Immutable, so every
    /// detection of one file, or of one method and set of source models, holds the same one: a detection then needs
    /// one reference for both instead of two (80 bytes instead of 96, across millions of detections).
    /// </summary>
    internal sealed class DetectionOrigin
    {
        /// <summary>No model, no source models: a new detection's.</summary>
        public static readonly DetectionOrigin None = new DetectionOrigin(null, ValueList<string>.Empty);

        /// <summary>The origin made last by <see cref="For"/>: detections set one after another mostly share one.</summary>
        private static DetectionOrigin lastMade = None;

        public readonly string Model;
        public readonly ValueList<string> SourceModels;

        /// <param name="sourceModels">Never null: <see cref="ValueList{T}.Empty"/> for none.</param>
        public DetectionOrigin(string model, ValueList<string> sourceModels)
        {
            Model = model;
            SourceModels = sourceModels;
        }

        /// <summary>An origin with these values: the one made last when it matches, else a new one.</summary>
        public static DetectionOrigin For(string model, ValueList<string> sourceModels)
        {
            var last = Volatile.Read(ref lastMade);
            if (ReferenceEquals(last.SourceModels, sourceModels) && string.Equals(last.Model, model, StringComparison.Ordinal)) return last;
            var made = new DetectionOrigin(model, sourceModels);
            Volatile.Write(ref lastMade, made);
            return made;
        }

        public DetectionOrigin WithModel(string model) => string.Equals(model, Model, StringComparison.Ordinal) ? this : For(model, SourceModels);

        public DetectionOrigin WithSourceModels(ValueList<string> sourceModels) =>
            ReferenceEquals(sourceModels, SourceModels) ? this : For(Model, sourceModels);
    }

    /// <summary>
    /// A masked detection's own tail: its shared origin and its mask (a mask belongs to one detection). Immutable
    /// like the origin, so a clone may share it.
    /// </summary>
    internal class MaskedOrigin
    {
        public readonly DetectionOrigin Origin;
        public readonly Mask Mask;

        public MaskedOrigin(DetectionOrigin origin, Mask mask)
        {
            Origin = origin;
            Mask = mask;
        }

        /// <summary>The tail of a detection with this mask and origin; the origin alone without a mask.</summary>
        public static object Of(DetectionOrigin origin, Mask mask, bool boxFromMask)
        {
            if (mask == null) return origin;
            return boxFromMask ? new BoxFromMaskOrigin(origin, mask) : new MaskedOrigin(origin, mask);
        }
    }

    /// <summary>The file gave no bbox: the box is the mask's bounding box (see <see cref="Detection.BoxFromMask"/>).
    /// A type rather than a flag, so a masked tail stays two references long.</summary>
    internal sealed class BoxFromMaskOrigin : MaskedOrigin
    {
        public BoxFromMaskOrigin(DetectionOrigin origin, Mask mask) : base(origin, mask) { }
    }
}
