namespace ImagePattern.Imaging.LibVips;

/// <summary>libvips <c>VipsBandFormat</c> values the engine looks at.</summary>
internal enum VipsBandFormat
{
    UChar = 0,
    Char = 1,
    UShort = 2,
    Short = 3,
    UInt = 4,
    Int = 5,
    Float = 6,
    Complex = 7,
    Double = 8,
    DpComplex = 9,
}

/// <summary>libvips <c>VipsInterpretation</c> values the engine looks at.</summary>
internal enum VipsInterpretation
{
    Multiband = 0,
    BW = 1,
    Cmyk = 15,
    Rgb = 17,
    Srgb = 22,
    Rgb16 = 25,
    Grey16 = 26,
}
