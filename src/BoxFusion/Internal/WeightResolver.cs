using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>Turns -Weight (a list in model order, or a hashtable from model name to weight) into one weight per model.</summary>
    internal static class WeightResolver
    {
        /// <returns>null when no weights were given.</returns>
        public static double[] Resolve(object weight, IReadOnlyList<string> models)
        {
            if (weight == null) return null;
            if (weight is PSObject ps) weight = ps.BaseObject;
            if (weight is IDictionary map)
            {
                var result = Enumerable.Repeat(1.0, models.Count).ToArray();
                var unknown = new List<string>();
                var keyOf = new string[models.Count];
                foreach (DictionaryEntry entry in map)
                {
                    string name = Convert.ToString(entry.Key is PSObject k ? k.BaseObject : entry.Key, CultureInfo.InvariantCulture);
                    int index = IndexOf(models, name);
                    if (index < 0) { unknown.Add(name); continue; }
                    if (keyOf[index] != null)
                    {
                        throw new ArgumentException("-Weight names the model '" + models[index] + "' twice, as '" + keyOf[index] + "' and '" + name + "'; model names ignore case.");
                    }
                    keyOf[index] = name;
                    result[index] = ToDouble(entry.Value, name);
                }
                if (unknown.Count > 0)
                {
                    throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                        "-Weight names model{0} '{1}' that {2} not in the input; the models are: {3}. Models not named get weight 1.",
                        unknown.Count == 1 ? "" : "s", string.Join("', '", unknown), unknown.Count == 1 ? "is" : "are", string.Join(", ", models)));
                }
                return result;
            }
            if (weight is IEnumerable list && !(weight is string))
            {
                var values = new List<double>();
                foreach (var item in list) values.Add(ToDouble(item, "#" + (values.Count + 1)));
                return values.ToArray();
            }
            return new[] { ToDouble(weight, "#1") };
        }

        /// <summary>The model with this name (ignoring case, as models are told apart), or -1.</summary>
        private static int IndexOf(IReadOnlyList<string> models, string name)
        {
            for (int i = 0; i < models.Count; i++) if (ModelNames.Comparer.Equals(models[i], name)) return i;
            return -1;
        }

        private static double ToDouble(object value, string which)
        {
            if (value is PSObject ps) value = ps.BaseObject;
            // PowerShell converts $null and '' to 0, which would silently drop the model.
            if (value == null || (value is string text && text.Trim().Length == 0))
                throw new ArgumentException("-Weight " + which + " is empty; give a number (0 drops a model on purpose).");
            try
            {
                return LanguagePrimitives.ConvertTo<double>(value);
            }
            catch (PSInvalidCastException)
            {
                throw new ArgumentException("-Weight " + which + " is '" + value + "', not a number.");
            }
        }
    }
}
