using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BoxFusion.Optimization
{
    /// <summary>
    /// A case-insensitive hashtable of cmdlet parameters, ready to splat, whose text lists its entries in the order
    /// they were set ("Method=WBF; IouThreshold=0.55; Weight=(yolox=2; cascade=1)"), so a CSV cell or a message
    /// shows the settings instead of a type name.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1010", Justification = "A Hashtable so that PowerShell splats it (@settings); splatting takes no generic dictionary.")]
    public sealed class ParameterTable : Hashtable
    {
        private readonly List<object> order = new List<object>();

        public ParameterTable() : base(StringComparer.OrdinalIgnoreCase) { }

        public override object this[object key]
        {
            get => base[key];
            set
            {
                if (!ContainsKey(key)) order.Add(key);
                base[key] = value;
            }
        }

        public override void Add(object key, object value)
        {
            base.Add(key, value);
            order.Add(key);
        }

        public override void Remove(object key)
        {
            base.Remove(key);
            order.RemoveAll(k => StringComparer.OrdinalIgnoreCase.Equals(k, key));
        }

        public override void Clear()
        {
            base.Clear();
            order.Clear();
        }

        public override string ToString() => string.Join("; ", order.Select(key => key + "=" + Text(base[key])));

        private static string Text(object value) =>
            value is IDictionary ? "(" + value + ")" : Convert.ToString(value, CultureInfo.InvariantCulture);
    }
}
