using System;
using System.Collections.Generic;

namespace BoxFusion.Fusion
{
    /// <summary>Why a detection was left out of mask fusion.</summary>
    public enum MaskRejection
    {
        /// <summary>Its mask's size differs from its image's (-ImageInfo) or, without sizes, from the first mask of its image.</summary>
        SizeMismatch,
        /// <summary>Its mask is polygons and no image size is known to rasterise them.</summary>
        PolygonWithoutImageSize,
    }

    /// <summary>The detections a mask check left out, per reason: a count and the first one.</summary>
    public sealed class MaskCheck
    {
        private readonly Dictionary<MaskRejection, (int Count, string First)> rejected = new Dictionary<MaskRejection, (int, string)>();

        internal void Add(MaskRejection reason, string description)
        {
            rejected[reason] = rejected.TryGetValue(reason, out var r) ? (r.Count + 1, r.First) : (1, description);
        }

        public IEnumerable<(MaskRejection Reason, int Count, string First)> Rejected
        {
            get { foreach (var p in rejected) yield return (p.Key, p.Value.Count, p.Value.First); }
        }

        public int Total
        {
            get { int n = 0; foreach (var p in rejected) n += p.Value.Count; return n; }
        }
    }

    public sealed partial class DetectionEnsemble
    {
        // Masks live beside the entries, one list per image (null for an image without any), so that entries stay
        // plain values: an array of reference-free structs costs the garbage collector nothing to scan.
        private List<List<Mask>> imageMasks;
        private int lastImageIndex = -1;

        /// <summary>Detections added with a mask.</summary>
        public long MaskCount { get; private set; }

        /// <summary>The masks of an image's entries, position by position (null where an entry has none); null when the image has none at all.</summary>
        public IReadOnlyList<Mask> GetMasks(int index)
        {
            GetImage(index); // sorts masks with their entries when models came out of order
            return MasksOf(index);
        }

        private List<Mask> MasksOf(int index) => imageMasks != null && index < imageMasks.Count ? imageMasks[index] : null;

        /// <summary>Records the mask (or null) of the entry just added to the image <see cref="lastImageIndex"/>.</summary>
        private void AddMask(Mask mask)
        {
            int image = lastImageIndex;
            if (imageMasks == null) imageMasks = new List<List<Mask>>();
            while (imageMasks.Count <= image) imageMasks.Add(null);
            var list = imageMasks[image];
            int count = images[image].Count; // the entry is already added
            if (list == null)
            {
                if (mask == null) return;
                list = imageMasks[image] = new List<Mask>(count);
                for (int i = 0; i < count - 1; i++) list.Add(null);
            }
            list.Add(mask);
            if (mask != null) MaskCount++;
        }

        /// <summary>
        /// Makes every image's masks fusable before fusion: polygons are rasterised for their image's size, and a
        /// detection whose mask cannot share its image's size is left out (a fused mask needs one size per image).
        /// The reference size is the image's (from <paramref name="widths"/>, <paramref name="heights"/> when known),
        /// else the first run-length mask of the image, in model order.
        /// </summary>
        public MaskCheck CheckMasks(double[] widths, double[] heights)
        {
            var check = new MaskCheck();
            if (MaskCount == 0) return check;
            for (int i = 0; i < images.Count; i++)
            {
                var list = (List<EnsembleEntry>)GetImage(i);
                var masks = MasksOf(i);
                if (masks == null) continue;
                int height = -1, width = -1;
                if (widths != null && !double.IsNaN(widths[i]) && !double.IsNaN(heights[i]))
                {
                    height = (int)heights[i];
                    width = (int)widths[i];
                }
                else
                {
                    foreach (var m in masks)
                    {
                        if (m != null && !m.IsPolygon) { height = m.Height; width = m.Width; break; }
                    }
                }
                bool[] drop = null;
                for (int j = 0; j < list.Count; j++)
                {
                    var mask = masks[j];
                    if (mask == null) continue;
                    if (mask.IsPolygon)
                    {
                        if (height < 0)
                        {
                            check.Add(MaskRejection.PolygonWithoutImageSize, Describe(i, list[j]));
                            (drop ?? (drop = new bool[list.Count]))[j] = true;
                            continue;
                        }
                        masks[j] = mask.Rasterize(height, width);
                    }
                    else if (mask.Height != height || mask.Width != width)
                    {
                        check.Add(MaskRejection.SizeMismatch, Describe(i, list[j]) + string.Format(System.Globalization.CultureInfo.InvariantCulture,
                            " has a {0}x{1} mask, the image is {2}x{3}", mask.Height, mask.Width, height, width));
                        (drop ?? (drop = new bool[list.Count]))[j] = true;
                    }
                }
                if (drop != null)
                {
                    int kept = 0;
                    for (int j = 0; j < list.Count; j++)
                    {
                        if (drop[j]) continue;
                        list[kept] = list[j];
                        masks[kept] = masks[j];
                        kept++;
                    }
                    int removed = list.Count - kept;
                    DetectionCount -= removed;
                    MaskCount -= removed;
                    list.RemoveRange(kept, removed);
                    masks.RemoveRange(kept, removed);
                }
            }
            return check;
        }

        private string Describe(int image, in EnsembleEntry e) => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "image {0}, model '{1}', category {2}, score {3}", BoxFusion.ImageIds.Describe(imageIds[image]), models[e.Model], e.CategoryId, e.Score);
    }
}
