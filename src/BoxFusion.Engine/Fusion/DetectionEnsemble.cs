using System;
using System.Collections.Generic;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// One input box of an image, held by value (no reference to the caller's object, which can then be
    /// collected young): what fusion needs, and the index of the model it came from.
    /// </summary>
    public readonly struct EnsembleEntry
    {
        public EnsembleEntry(int categoryId, double score, double x, double y, double width, double height, int model)
        {
            CategoryId = categoryId;
            Score = score;
            X = x;
            Y = y;
            Width = width;
            Height = height;
            Model = model;
        }

#pragma warning disable CA1051 // read-only fields of a small struct read in fusion's inner loops: no property call to inline
        public readonly double X, Y, Width, Height, Score;
        public readonly int CategoryId;
        public readonly int Model;
#pragma warning restore CA1051
        public double Right => X + Width;
        public double Bottom => Y + Height;
    }

    /// <summary>
    /// Collects detections by image and by model, both in order of first appearance, as fusion needs them.
    /// Copies the values it needs: the caller's detections are never changed nor kept.
    /// </summary>
    public sealed partial class DetectionEnsemble
    {
        private readonly Dictionary<object, int> imageIndex = new Dictionary<object, int>();
        private readonly Dictionary<string, int> modelIndex = new Dictionary<string, int>(ModelNames.Comparer); // 'Det' and 'det' are one model
        private readonly List<object> imageIds = new List<object>();
        private readonly List<List<EnsembleEntry>> images = new List<List<EnsembleEntry>>();
        private readonly List<string> models = new List<string>();
        private bool modelsOutOfOrder;
        private object lastImageId;
        private List<EnsembleEntry> lastImage;
        private string lastModel;
        private int lastModelIndex = -1;

        public IReadOnlyList<string> Models => models;
        public IReadOnlyList<object> ImageIds => imageIds;
        public int ImageCount => images.Count;
        public long DetectionCount { get; private set; }

        public void Add(Detection detection)
        {
            if (detection == null) throw new ArgumentNullException(nameof(detection));
            if (detection.ImageId == null) throw new ArgumentException("The detection has no image id.", nameof(detection));
            Check(detection.Score, detection.X, detection.Y, detection.Width, detection.Height);   // before its model is registered
            Add(detection.ImageId, detection.CategoryId, detection.Score, detection.X, detection.Y, detection.Width, detection.Height, ModelOf(detection.Model ?? string.Empty), detection.Mask);
        }

        /// <summary>Adds one box of a model already registered with <see cref="ModelOf"/>; the image id must be normalised (long or string).</summary>
        /// <exception cref="ArgumentException">The box or score breaks <see cref="DetectionRules"/>.</exception>
        public void Add(object imageId, int categoryId, double score, double x, double y, double width, double height, int model, Mask mask = null)
        {
            Check(score, x, y, width, height);
            var image = ImageOf(imageId);
            if (image.Count > 0 && image[image.Count - 1].Model > model) modelsOutOfOrder = true;
            image.Add(new EnsembleEntry(categoryId, score, x, y, width, height, model));
            DetectionCount++;
            if (mask != null || imageMasks != null) AddMask(mask);
        }

        private static void Check(double score, double x, double y, double width, double height)
        {
            if (!DetectionRules.IsValid(score, x, y, width, height))
                throw new ArgumentException("The detection cannot be fused: " + DetectionRules.Problem(score, x, y, width, height, out _) + ".");
        }

        /// <summary>Model index of a name, registering it on first sight; cheap for runs of one model.</summary>
        public int ModelOf(string name)
        {
            if (ReferenceEquals(name, lastModel)) return lastModelIndex;
            if (!modelIndex.TryGetValue(name, out int index))
            {
                index = models.Count;
                models.Add(name);
                modelIndex.Add(name, index);
            }
            lastModel = name;
            lastModelIndex = index;
            return index;
        }

        private List<EnsembleEntry> ImageOf(object id)
        {
            if (ReferenceEquals(id, lastImageId)) return lastImage;
            if (!imageIndex.TryGetValue(id, out int index))
            {
                index = images.Count;
                imageIndex.Add(id, index);
                imageIds.Add(id);
                images.Add(new List<EnsembleEntry>());
            }
            lastImageId = id;
            lastImage = images[index];
            lastImageIndex = index;
            return lastImage;
        }

        /// <summary>The image's boxes in model order, each model's in the order given.</summary>
        public IReadOnlyList<EnsembleEntry> GetImage(int index)
        {
            var list = images[index];
            if (modelsOutOfOrder) SortStableByModel(list, MasksOf(index));
            return list;
        }

        /// <param name="masks">The image's masks, kept parallel to its entries; null when it has none.</param>
        private static void SortStableByModel(List<EnsembleEntry> list, List<Mask> masks)
        {
            for (int i = 1; i < list.Count; i++)
            {
                if (list[i - 1].Model <= list[i].Model) continue;
                var keys = new long[list.Count];
                var items = list.ToArray();
                for (int j = 0; j < items.Length; j++) keys[j] = ((long)items[j].Model << 32) | (uint)j;
                Array.Sort(keys, items);
                list.Clear();
                list.AddRange(items);
                if (masks != null)
                {
                    var before = masks.ToArray();
                    for (int j = 0; j < keys.Length; j++) masks[j] = before[(int)(keys[j] & 0xFFFFFFFF)];
                }
                return;
            }
        }
    }
}
