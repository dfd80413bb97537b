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
        /// <summary>The masks of an image's entries, position by position (null where an entry has none); null when the image has none at all.</summary>
        public IReadOnlyList<Mask> GetMasks(int index)
        {
            GetImage(index); // sorts masks with their entries when models came out of order
            ref var slot = ref images[index];
            return slot.Masks == null ? null : new ArraySegment<Mask>(slot.Masks, slot.Start, slot.Count);
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
            for (int i = 0; i < imageIds.Count; i++)
            {
                GetImage(i); // in model order
                ref var slot = ref images[i];
                var masks = slot.Masks;
                if (masks == null) continue;
                var list = slot.Entries;
                int start = slot.Start, end = slot.Start + slot.Count;
                int height = -1, width = -1;
                if (widths != null && !double.IsNaN(widths[i]) && !double.IsNaN(heights[i]))
                {
                    height = (int)heights[i];
                    width = (int)widths[i];
                }
                else
                {
                    for (int j = start; j < end; j++)
                    {
                        var m = masks[j];
                        if (m != null && !m.IsPolygon) { height = m.Height; width = m.Width; break; }
                    }
                }
                bool[] drop = null;
                for (int j = start; j < end; j++)
                {
                    var mask = masks[j];
                    if (mask == null) continue;
                    if (mask.IsPolygon)
                    {
                        if (height < 0)
                        {
                            check.Add(MaskRejection.PolygonWithoutImageSize, Describe(i, list[j]));
                            (drop ?? (drop = new bool[slot.Count]))[j - start] = true;
                            continue;
                        }
                        masks[j] = mask.Rasterize(height, width);
                    }
                    else if (mask.Height != height || mask.Width != width)
                    {
                        check.Add(MaskRejection.SizeMismatch, Describe(i, list[j]) + string.Format(System.Globalization.CultureInfo.InvariantCulture,
                            " has a {0}x{1} mask, the image is {2}x{3}", mask.Height, mask.Width, height, width));
                        (drop ?? (drop = new bool[slot.Count]))[j - start] = true;
                    }
                }
                if (drop != null)
                {
                    int kept = start;
                    for (int j = start; j < end; j++)
                    {
                        if (drop[j - start]) continue;
                        list[kept] = list[j];
                        masks[kept] = masks[j];
                        kept++;
                    }
                    int removed = end - kept;
                    Array.Clear(masks, kept, removed);
                    DetectionCount -= removed;
                    MaskCount -= removed;
                    slot.Count = kept - start;
                }
            }
            return check;
        }

        private string Describe(int image, in EnsembleEntry e) => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "image {0}, model '{1}', category {2}, score {3}", BoxFusion.ImageIds.Describe(imageIds[image]), models[e.Model], e.CategoryId, e.Score);
    }
}
