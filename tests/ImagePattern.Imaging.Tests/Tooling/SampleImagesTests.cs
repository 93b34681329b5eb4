using NetVips;
using ImagePattern.Imaging.Tooling;

namespace ImagePattern.Imaging.Tests.Tooling;

public sealed class SampleImagesTests
{
    [Theory]
    [InlineData(SampleFormat.Jpeg)]
    [InlineData(SampleFormat.Png)]
    [InlineData(SampleFormat.Webp)]
    [InlineData(SampleFormat.Gif)]
    [InlineData(SampleFormat.Avif)]
    [InlineData(SampleFormat.Tiff)]
    public void Create_SameSeed_GivesTheSameBytes(SampleFormat format)
    {
        var first = SampleImages.Create(64, 48, format);
        var second = SampleImages.Create(64, 48, format);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Create_DifferentSeeds_GiveDifferentPictures()
    {
        var one = SampleImages.Create(64, 48, SampleFormat.Png, new SampleImageOptions { Seed = 1 });
        var two = SampleImages.Create(64, 48, SampleFormat.Png, new SampleImageOptions { Seed = 2 });

        Assert.True(ImageComparison.Psnr(one, two) < 25);
    }

    [Fact]
    public void Create_Picture_HasPhotoLikeTexture()
    {
        // Flat or smooth content would compress far smaller; encoders and decoders must see real detail.
        var jpeg = SampleImages.Create(512, 512, SampleFormat.Jpeg, new SampleImageOptions { Quality = 80 });

        Assert.True(jpeg.Length > 512 * 512 / 10, $"{jpeg.Length} bytes is too smooth for a photo-like sample");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Create_QuarterTurnOrientation_StoresSwappedDimensions(int orientation)
    {
        var jpeg = SampleImages.Create(120, 80, SampleFormat.Jpeg, new SampleImageOptions { Orientation = orientation });

        using var stored = TestInputs.DecodeRaw(jpeg);

        Assert.Equal((80, 120, orientation), (stored.Width, stored.Height, (int)stored.Get("orientation")));
    }

    [Fact]
    public void Create_Options_ShapeTheStoredImage()
    {
        using var sixteen = TestInputs.DecodeRaw(SampleImages.Create(20, 10, SampleFormat.Png, new SampleImageOptions { SixteenBit = true }));
        using var cmyk = TestInputs.DecodeRaw(SampleImages.Create(20, 10, SampleFormat.Jpeg, new SampleImageOptions { Cmyk = true }));
        using var grey = TestInputs.DecodeRaw(SampleImages.Create(20, 10, SampleFormat.Jpeg, new SampleImageOptions { Grayscale = true }));
        using var alpha = TestInputs.DecodeRaw(SampleImages.Create(20, 10, SampleFormat.Webp, new SampleImageOptions { Alpha = true }));
        using var p3 = TestInputs.DecodeRaw(SampleImages.Create(20, 10, SampleFormat.Jpeg, new SampleImageOptions { DisplayP3 = true }));

        Assert.Equal((Enums.BandFormat.Ushort, Enums.Interpretation.Rgb16), (sixteen.Format, sixteen.Interpretation));
        Assert.Equal((4, Enums.Interpretation.Cmyk), (cmyk.Bands, cmyk.Interpretation));
        Assert.Equal(1, grey.Bands);
        Assert.True(alpha.HasAlpha());
        Assert.True(p3.Contains("icc-profile-data"));
    }

    [Fact]
    public void Create_Frames_StacksPagesOfTheRequestedHeight()
    {
        using var gif = TestInputs.DecodeRaw(SampleImages.Create(40, 30, SampleFormat.Gif, new SampleImageOptions { Frames = 3 }));

        Assert.Equal((3, 30), ((int)gif.Get("n-pages"), gif.PageHeight));
    }

    [Theory]
    [InlineData(SampleFormat.Jpeg, "SixteenBit")]
    [InlineData(SampleFormat.Webp, "Cmyk")]
    [InlineData(SampleFormat.Gif, "Orientation")]
    [InlineData(SampleFormat.Webp, "Progressive")]
    [InlineData(SampleFormat.Png, "Frames")]
    public void Create_OptionTheFormatCannotHold_Throws(SampleFormat format, string option)
    {
        var options = option switch
        {
            "SixteenBit" => new SampleImageOptions { SixteenBit = true },
            "Cmyk" => new SampleImageOptions { Cmyk = true },
            "Orientation" => new SampleImageOptions { Orientation = 6 },
            "Progressive" => new SampleImageOptions { Progressive = true },
            _ => new SampleImageOptions { Frames = 2 },
        };

        Assert.Throws<ArgumentException>(() => SampleImages.Create(10, 10, format, options));
    }
}
