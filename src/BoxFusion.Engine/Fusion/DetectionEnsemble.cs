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
        private readonly List<string> models = new List<string>();
        private bool modelsOutOfOrder;
        private object lastImageId;
        private int lastImageIndex = -1;
        private string lastModel;
        private int lastModelIndex = -1;

        public IReadOnlyList<string> Models => models;
        public IReadOnlyList<object> ImageIds => imageIds;
        public int ImageCount => imageIds.Count;
        public long DetectionCount { get; private set; }
        /// <summary>Detections added with a mask.</summary>
        public long MaskCount { get; private set; }

        public void Add(Detection detection)
        {
            CheckCanBeFused(detection);   // before its model is registered
            Add(detection.ImageId, detection.CategoryId, detection.Score, detection.X, detection.Y, detection.Width, detection.Height, ModelOf(detection.Model ?? string.Empty), detection.Mask);
        }

        /// <summary>Adds one box of a model already registered with <see cref="ModelOf"/>; the image id must be normalised (long or string).</summary>
        /// <exception cref="ArgumentException">The box or score breaks <see cref="DetectionRules"/>.</exception>
        public void Add(object imageId, int categoryId, double score, double x, double y, double width, double height, int model, Mask mask = null)
        {
            Check(score, x, y, width, height);
            int image = ImageOf(imageId);
            if (images[image].LastModel != model) NoteModel(image, model);
            if (pending.CurrentImage != image)
            {
                pending.StartRun(image);
                unsettled = true;
            }
            pending.Add(new EnsembleEntry(categoryId, score, x, y, width, height, model), mask);
            DetectionCount++;
            if (mask != null) MaskCount++;
        }

        /// <summary>What <see cref="Add(Detection)"/> refuses: no detection, no image id, a box or score that breaks <see cref="DetectionRules"/>.</summary>
        internal static void CheckCanBeFused(Detection detection)
        {
            if (detection == null) throw new ArgumentNullException(nameof(detection));
            if (detection.ImageId == null) throw new ArgumentException("The detection has no image id.", nameof(detection));
            Check(detection.Score, detection.X, detection.Y, detection.Width, detection.Height);
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

        /// <summary>
        /// The model indexes <see cref="ModelOf"/> will give these names if each registers in turn (a name that
        /// registers nothing, a file without records, shifts the later ones: check with ModelOf when it is known).
        /// </summary>
        internal int[] ForeseeModels(IReadOnlyList<string> names)
        {
            var seen = new Dictionary<string, int>(modelIndex, ModelNames.Comparer);
            var result = new int[names.Count];
            for (int i = 0; i < names.Count; i++)
            {
                string name = names[i] ?? string.Empty;
                if (!seen.TryGetValue(name, out int index)) seen.Add(name, index = seen.Count);
                result[i] = index;
            }
            return result;
        }

        private int ImageOf(object id)
        {
            if (ReferenceEquals(id, lastImageId)) return lastImageIndex;
            if (!imageIndex.TryGetValue(id, out int index))
            {
                index = imageIds.Count;
                imageIndex.Add(id, index);
                imageIds.Add(id);
                if (index == images.Length) Array.Resize(ref images, Math.Max(16, index * 2));
                images[index] = new ImageSlot { Entries = Array.Empty<EnsembleEntry>(), LastModel = -1 };
            }
            lastImageId = id;
            lastImageIndex = index;
            return index;
        }

        /// <summary>An entry of <paramref name="model"/> comes after the image's last one: note when models come out of order.</summary>
        private void NoteModel(int image, int model)
        {
            ref var slot = ref images[image];
            if (slot.LastModel > model) modelsOutOfOrder = true;
            slot.LastModel = model;
        }

        /// <summary>The image's boxes in model order, each model's in the order given.</summary>
        public IReadOnlyList<EnsembleEntry> GetImage(int index)
        {
            if ((uint)index >= (uint)imageIds.Count) throw new ArgumentOutOfRangeException(nameof(index));
            Settle();
            ref var slot = ref images[index];
            if (modelsOutOfOrder) SortStableByModel(slot.Entries, slot.Masks, slot.Start, slot.Count);
            return new ArraySegment<EnsembleEntry>(slot.Entries, slot.Start, slot.Count);
        }

        /// <param name="masks">The image's masks, parallel to its entries; null when it has none.</param>
        private static void SortStableByModel(EnsembleEntry[] entries, Mask[] masks, int start, int count)
        {
            for (int i = start + 1; i < start + count; i++)
            {
                if (entries[i - 1].Model <= entries[i].Model) continue;
                var keys = new long[count];
                var items = new EnsembleEntry[count];
                Array.Copy(entries, start, items, 0, count);
                for (int j = 0; j < count; j++) keys[j] = ((long)items[j].Model << 32) | (uint)j;
                Array.Sort(keys, items);
                Array.Copy(items, 0, entries, start, count);
                if (masks != null)
                {
                    var before = new Mask[count];
                    Array.Copy(masks, start, before, 0, count);
                    for (int j = 0; j < count; j++) masks[start + j] = before[(int)(keys[j] & 0xFFFFFFFF)];
                }
                return;
            }
        }
    }
}
