namespace ImagePattern.Imaging.Tests;

public sealed class ExifOrientationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(8)]
    public void FromTiff_OrientationInTheMainDirectory_IsRead(int orientation)
    {
        Assert.Equal(orientation, ExifOrientation.FromTiff(TestInputs.ExifTiff(orientation, null)));
    }

    [Fact]
    public void FromTiff_OrientationOnlyInTheThumbnailDirectory_IsIgnored()
    {
        Assert.Equal(1, ExifOrientation.FromTiff(TestInputs.ExifTiff(null, 6)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void FromTiff_OutOfRange_MeansAsStored(int orientation)
    {
        Assert.Equal(1, ExifOrientation.FromTiff(TestInputs.ExifTiff(orientation, null)));
    }

    [Fact]
    public void FromTiff_BigEndian_IsRead()
    {
        byte[] tiff = [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.Equal(5, ExifOrientation.FromTiff(tiff));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 0xFF, 0xFF, 0, 0 })]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 200, 0 })]
    [InlineData(new byte[] { (byte)'X', (byte)'X', 42, 0, 8, 0, 0, 0 })]
    public void FromTiff_Damaged_MeansAsStored(byte[] tiff)
    {
        Assert.Equal(1, ExifOrientation.FromTiff(tiff));
    }

    [Fact]
    public void Read_JpegWithExifSegment_FindsIt()
    {
        var jpeg = TestInputs.WithExif(Imaging.Tooling.SampleImages.Create(8, 8, Imaging.Tooling.SampleFormat.Jpeg), TestInputs.ExifTiff(3, null));

        Assert.Equal(3, ExifOrientation.Read(jpeg, "jpeg"));
    }
}
